import type { Interface, Namespace, PortMapping } from '../../../protocol/src/index.js';

export interface NamespaceData extends Record<string, unknown> {
  ns: Namespace;
  title: string;
  subtitle: string;
}
export interface InterfaceData extends Record<string, unknown> {
  iface: Interface;
  nsName: string;
  /** The runtime networks this bridge carries ("bridge", "my-bridge-network"). */
  networks?: string[];
}
export interface PortMappingData extends Record<string, unknown> {
  pm: PortMapping;
  text: string;
}

interface ModelNodeBase {
  id: string;
  parentId: string | null;
  width: number;
  height: number;
  ariaLabel: string;
  /** Made or changed by the plan waiting to be applied: drawn dashed. */
  pending?: boolean;
}
export type ModelNode =
  | (ModelNodeBase & { type: 'namespace'; data: NamespaceData })
  | (ModelNodeBase & { type: 'interface'; data: InterfaceData })
  | (ModelNodeBase & { type: 'portMapping'; data: PortMappingData });

export type EdgeKind = 'veth' | 'port' | 'lower' | 'mapping';
export interface ModelEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  pending?: boolean;
}

/** The graph drawn from one snapshot; parents come before their children. */
export interface GraphModel {
  nodes: ModelNode[];
  edges: ModelEdge[];
}
