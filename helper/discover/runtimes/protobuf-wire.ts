/**
 * Just enough of protobuf's wire format to ask the CRI (cri.ts): fields read into a table by
 * number, strings, nested messages, `map<string,string>`, varints; and the few request fields
 * written. No schema compiler, no dependency — the helper bundle stays small (the CRI answers
 * netloom reads are four messages deep at most).
 */
export interface WireField {
  no: number;
  /** 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit. */
  wire: number;
  varint: bigint;
  bytes: Uint8Array;
}

export class WireError extends Error {}

function readVarint(buf: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  for (let shift = 0n, i = at; i < buf.length && shift < 70n; i++, shift += 7n) {
    const b = buf[i] ?? 0;
    v |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [v, i + 1];
  }
  throw new WireError('truncated varint');
}

const EMPTY = new Uint8Array(0);

/** Every field of one message, in wire order (repeated fields appear once per element). */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = readVarint(buf, at);
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    at = next;
    if (wire === 0) {
      const [v, n] = readVarint(buf, at);
      out.push({ no, wire, varint: v, bytes: EMPTY });
      at = n;
    } else if (wire === 2) {
      const [len, n] = readVarint(buf, at);
      const end = n + Number(len);
      if (end > buf.length) throw new WireError(`field ${no}: length ${len} past the end`);
      out.push({ no, wire, varint: 0n, bytes: buf.subarray(n, end) });
      at = end;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > buf.length) throw new WireError(`field ${no}: truncated fixed${size * 8}`);
      out.push({ no, wire, varint: 0n, bytes: buf.subarray(at, at + size) });
      at += size;
    } else {
      throw new WireError(`field ${no}: wire type ${wire} is not read`);
    }
  }
  return out;
}

const utf8 = new TextDecoder();

/** A message read once, asked by field number. */
export class WireMessage {
  private readonly fields: WireField[];
  constructor(buf: Uint8Array) {
    this.fields = readFields(buf);
  }
  private all(no: number, wire: number): WireField[] {
    return this.fields.filter((f) => f.no === no && f.wire === wire);
  }
  string(no: number): string {
    const f = this.all(no, 2).at(-1);
    return f === undefined ? '' : utf8.decode(f.bytes);
  }
  uint(no: number): number {
    return Number(this.all(no, 0).at(-1)?.varint ?? 0n);
  }
  /** The raw bytes of a length-delimited field (an Any's value). */
  bytes(no: number): Uint8Array {
    return this.all(no, 2).at(-1)?.bytes ?? EMPTY;
  }
  message(no: number): WireMessage {
    return new WireMessage(this.all(no, 2).at(-1)?.bytes ?? EMPTY);
  }
  messages(no: number): WireMessage[] {
    return this.all(no, 2).map((f) => new WireMessage(f.bytes));
  }
  /** `map<string,string>`: repeated entries of {1: key, 2: value}. */
  map(no: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.messages(no)) out[e.string(1)] = e.string(2);
    return out;
  }
}

function varintBytes(v: number): number[] {
  const out: number[] = [];
  let n = v;
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A request field: a string, a bool, or a nested message (already encoded). */
export function encodeField(no: number, value: string | boolean | Uint8Array): Uint8Array {
  if (typeof value === 'boolean') return Uint8Array.from([...varintBytes(no << 3), value ? 1 : 0]);
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return Uint8Array.from([...varintBytes((no << 3) | 2), ...varintBytes(bytes.length), ...bytes]);
}
