import { has } from './bytes.js';
import { field, type DetailNode } from './types.js';

/** The identifier and sequence number of an ICMP or ICMPv6 echo (same layout in both), as tree fields and a summary suffix. */
export function echoIdSeq(b: Buffer, off: number, node: DetailNode): string {
  if (!has(b, off, 8)) return '';
  const id = b.readUInt16BE(off + 4);
  const seq = b.readUInt16BE(off + 6);
  field(node, `Identifier: ${id}`, off + 4, 2);
  field(node, `Sequence number: ${seq}`, off + 6, 2);
  return `, id ${id}, seq ${seq}`;
}
