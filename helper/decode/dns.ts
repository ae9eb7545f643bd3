import { ipv4, ipv6 } from './bytes.js';
import { readDnsName } from './dns-name.js';
import { field, layer, type DecodeState, type DetailNode } from './types.js';

const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  41: 'OPT', 43: 'DS', 46: 'RRSIG', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY',
};
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
/** Records shown per section; the counts in the header may claim 65535. */
const MAX_RECORDS = 32;

export function dnsTypeName(t: number): string {
  return TYPES[t] ?? `TYPE${t}`;
}

/** A DNS message over UDP (or TCP without its 2-byte length): header, questions, answers. */
export function decodeDns(b: Buffer, off: number, end: number, st: DecodeState): void {
  st.proto = 'DNS';
  const msg = b.subarray(off, Math.max(off, end));
  if (msg.length < 12) {
    st.info = 'truncated DNS header';
    return;
  }
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((o) => msg.readUInt16BE(o));
  const [qd = 0, an = 0] = counts;
  const response = (flags & 0x8000) !== 0;
  const node = layer(st, `Domain Name System (${response ? 'response' : 'query'})`, off, msg.length);
  field(node, `Transaction ID: 0x${id.toString(16).padStart(4, '0')}`, off, 2);
  field(node, `Flags: 0x${flags.toString(16).padStart(4, '0')}${response ? ` ${RCODES[flags & 0xf] ?? `rcode ${flags & 0xf}`}` : ''}`, off + 2, 2);
  field(node, `Questions: ${qd}, Answers: ${an}, Authority: ${counts[2]}, Additional: ${counts[3]}`, off + 4, 8);
  let p = 12;
  const questions: string[] = [];
  const qNode = field(node, 'Queries');
  for (let i = 0; i < Math.min(qd, MAX_RECORDS); i++) {
    const n = readDnsName(msg, p);
    if (n === null || n.next + 4 > msg.length) break;
    const type = dnsTypeName(msg.readUInt16BE(n.next));
    field(qNode, `${n.name}: type ${type}`, off + p, n.next + 4 - p);
    questions.push(`${type}? ${n.name}`);
    p = n.next + 4;
  }
  const answers = readAnswers(msg, p, Math.min(an, MAX_RECORDS), field(node, 'Answers'), off);
  const opcode = (flags >> 11) & 0xf;
  const op = opcode === 0 ? '' : ` opcode ${opcode}`;
  if (!response) st.info = `Standard query${op} 0x${id.toString(16).padStart(4, '0')} ${questions.join(' ')}`.trimEnd();
  else {
    const rcode = flags & 0xf;
    const status = rcode === 0 ? '' : ` ${RCODES[rcode] ?? `rcode ${rcode}`}`;
    st.info = `Standard query response${op} 0x${id.toString(16).padStart(4, '0')}${status} ${questions.join(' ')} ${answers.join(' ')}`.trimEnd();
  }
}

function readAnswers(msg: Buffer, start: number, count: number, parent: DetailNode, base: number): string[] {
  const out: string[] = [];
  let p = start;
  for (let i = 0; i < count; i++) {
    const n = readDnsName(msg, p);
    if (n === null || n.next + 10 > msg.length) break;
    const type = msg.readUInt16BE(n.next);
    const ttl = msg.readUInt32BE(n.next + 4);
    const rdlen = msg.readUInt16BE(n.next + 8);
    const rd = n.next + 10;
    if (rd + rdlen > msg.length) break;
    let value = `${rdlen} bytes`;
    if (type === 1 && rdlen === 4) value = ipv4(msg, rd);
    else if (type === 28 && rdlen === 16) value = ipv6(msg, rd);
    else if (type === 5 || type === 2 || type === 12) value = readDnsName(msg, rd)?.name ?? '?';
    out.push(`${dnsTypeName(type)} ${value}`);
    field(parent, `${n.name}: type ${dnsTypeName(type)}, ttl ${ttl}, ${value}`, base + p, rd + rdlen - p);
    p = rd + rdlen;
  }
  return out;
}
