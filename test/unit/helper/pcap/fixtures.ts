import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapStreamParser } from '../../../../helper/pcap/stream-parser.js';
import type { PcapHeader, PcapRecord } from '../../../../helper/pcap/format.js';

export const FIXTURES = join(__dirname, '../../../fixtures/pcap');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** Parses a whole file through the stream parser in one chunk. */
export function parseAll(bytes: Buffer): { header: PcapHeader; records: PcapRecord[] } {
  const p = new PcapStreamParser();
  const records = p.push(bytes);
  if (p.header === null || p.error !== null) throw new Error(p.error ?? 'no header');
  return { header: p.header, records };
}
