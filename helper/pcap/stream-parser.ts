import {
  GLOBAL_HEADER_LEN,
  MAX_SNAPLEN,
  RECORD_HEADER_LEN,
  parseGlobalHeader,
  type PcapHeader,
  type PcapRecord,
} from './format.js';

/**
 * Parses a pcap byte stream as it arrives (tcpdump `-U -w -` flushes per packet, but pipe
 * reads split anywhere). Chunks are queued, not concatenated, so a flood of small reads costs
 * no quadratic copying. After a corrupt record header the parser stops (`error` says why):
 * resynchronising a pcap stream is guesswork, and tcpdump never writes one.
 */
export class PcapStreamParser {
  header: PcapHeader | null = null;
  error: string | null = null;
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Feeds bytes; returns the records completed by them. */
  push(chunk: Buffer): PcapRecord[] {
    if (this.error !== null || chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: PcapRecord[] = [];
    if (this.header === null) {
      if (this.buffered < GLOBAL_HEADER_LEN) return out;
      const h = parseGlobalHeader(this.take(GLOBAL_HEADER_LEN));
      if (typeof h === 'string') {
        this.error = h;
        return out;
      }
      this.header = h;
    }
    const h = this.header;
    const limit = Math.max(h.snaplen, MAX_SNAPLEN);
    while (this.buffered >= RECORD_HEADER_LEN) {
      const rh = this.peek(RECORD_HEADER_LEN);
      const u32 = (o: number): number => (h.littleEndian ? rh.readUInt32LE(o) : rh.readUInt32BE(o));
      const inclLen = u32(8);
      if (inclLen > limit) {
        this.error = `record of ${inclLen} bytes exceeds the snap length ${h.snaplen}`;
        return out;
      }
      if (this.buffered < RECORD_HEADER_LEN + inclLen) break;
      this.take(RECORD_HEADER_LEN);
      const frac = u32(4);
      out.push({ sec: u32(0), nsec: h.nano ? frac : frac * 1000, origLen: u32(12), data: this.take(inclLen) });
    }
    return out;
  }

  /** Bytes received but not yet part of a complete record. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.chunks, Math.min(this.buffered, Math.max(n, 0))).subarray(0, n);
  }

  /** Removes n bytes from the front; returns a copy that owns its memory (the ring keeps it). */
  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      if (c === undefined) break;
      const k = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, k);
      filled += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }
}
