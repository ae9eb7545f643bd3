import { decodeLink } from './link.js';
import { newState, type DetailNode, type Flow } from './types.js';

export type { DetailNode, Flow } from './types.js';

/** The packet-list row's text columns. */
export interface PacketText {
  src: string;
  dst: string;
  proto: string;
  info: string;
}

export interface DecodedPacket extends PacketText {
  tree: DetailNode[];
  /** Set for TCP and UDP: the conversation and where the payload lies. */
  flow?: Flow;
}

let internalErrors = 0;

/** How many packets a decoder threw on (a bug, never the packet's fault); the fuzz test keeps it at 0. */
export function decoderErrors(): number {
  return internalErrors;
}

/**
 * Decodes one captured frame. Never throws: every decoder checks its bounds, and should one
 * still fail the packet is shown raw — one bad packet must not end a capture.
 */
export function decodePacket(linktype: number, data: Buffer): DecodedPacket {
  const st = newState();
  try {
    decodeLink(linktype, data, st);
  } catch (e) {
    internalErrors++;
    st.info = `decoder error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const out: DecodedPacket = { src: st.src, dst: st.dst, proto: st.proto, info: st.info, tree: st.tree };
  if (st.flow) out.flow = st.flow;
  return out;
}
