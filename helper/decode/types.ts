/** One line of a packet's details tree; offset/length point into the packet for hex highlighting. */
export interface DetailNode {
  label: string;
  offset?: number;
  length?: number;
  children?: DetailNode[];
}

/** A TCP or UDP packet's conversation key and payload bytes (for following a stream). */
export interface Flow {
  proto: 'tcp' | 'udp';
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  /** TCP sequence number and flags; 0 and [] for UDP. */
  seq: number;
  flags: string[];
  payloadOff: number;
  payloadEnd: number;
}

/** What decoding a packet builds up, layer by layer; the innermost layer that knows better overwrites. */
export interface DecodeState {
  src: string;
  dst: string;
  proto: string;
  info: string;
  tree: DetailNode[];
  flow?: Flow;
}

export function newState(): DecodeState {
  return { src: '', dst: '', proto: 'raw', info: '', tree: [] };
}

/** Appends a protocol layer to the tree and returns its node so fields can be added. */
export function layer(st: DecodeState, label: string, offset: number, length: number): DetailNode {
  const node: DetailNode = { label, offset, length, children: [] };
  st.tree.push(node);
  return node;
}

export function field(parent: DetailNode, label: string, offset?: number, length?: number): DetailNode {
  const node: DetailNode = offset === undefined ? { label } : { label, offset, length: length ?? 1 };
  (parent.children ??= []).push(node);
  return node;
}
