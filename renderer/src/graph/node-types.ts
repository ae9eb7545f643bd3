import type { NodeTypes } from '@xyflow/react';
import { InterfaceNode } from './InterfaceNode.js';
import { NamespaceNode } from './NamespaceNode.js';
import { PortMappingNode } from './PortMappingNode.js';
import { HostNode } from './HostNode.js';
import { RemoteNode } from './RemoteNode.js';

/** Defined once at module scope, so React Flow never remounts nodes (STYLE: React Flow). */
export const nodeTypes: NodeTypes = { namespace: NamespaceNode, interface: InterfaceNode, portMapping: PortMappingNode, host: HostNode, remote: RemoteNode };
