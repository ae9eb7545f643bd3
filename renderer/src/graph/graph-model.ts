import type { HostEntry, Interface, Namespace, PortMapping } from '../../../protocol/src/index.js';

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

/** Several hosts on one canvas (issue 14): a group around each host's namespaces. */
export interface HostData extends Record<string, unknown> {
  host: HostEntry;
  title: string;
  subtitle: string;
  /** No picture yet (connecting, asking for sudo's password, failed): drawn as a card of EMPTY_HOST size. */
  empty?: boolean;
}
/** The far end of a tunnel that no host on the canvas holds ("remote 192.0.2.7"). */
export interface RemoteData extends Record<string, unknown> {
  address: string;
  title: string;
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
  | (ModelNodeBase & { type: 'portMapping'; data: PortMappingData })
  | (ModelNodeBase & { type: 'host'; data: HostData })
  | (ModelNodeBase & { type: 'remote'; data: RemoteData });

export type EdgeKind = 'veth' | 'port' | 'lower' | 'mapping' | 'tunnel';
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
