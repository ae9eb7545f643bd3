import type { NodeTypes } from '@xyflow/react';
import { InterfaceNode } from './InterfaceNode.js';
import { NamespaceNode } from './NamespaceNode.js';
import { PortMappingNode } from './PortMappingNode.js';

/** Defined once at module scope, so React Flow never remounts nodes (STYLE: React Flow). */
export const nodeTypes: NodeTypes = { namespace: NamespaceNode, interface: InterfaceNode, portMapping: PortMappingNode };
