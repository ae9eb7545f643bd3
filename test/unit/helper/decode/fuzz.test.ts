import { describe, expect, it } from 'vitest';
import { decodePacket, decoderErrors } from '../../../../helper/decode/summary.js';
import { LINKTYPE } from '../../../../helper/pcap/format.js';
import { PcapStreamParser } from '../../../../helper/pcap/stream-parser.js';
import { fixture, parseAll } from '../pcap/fixtures.js';

/** A small deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LINKTYPES = [LINKTYPE.EN10MB, LINKTYPE.LINUX_SLL, LINKTYPE.LINUX_SLL2, LINKTYPE.RAW, LINKTYPE.NULL, LINKTYPE.LOOP];
const FILES = ['arp-ping.pcap', 'ping6.pcap', 'vlan-ping.pcap', 'http.pcap', 'dns.pcap', 'any-sll.pcap', 'any-sll2.pcap'];

describe('decoders never throw', () => {
  it('20 000 random, truncated and mutated packets: no exception, no hang', () => {
    const rand = rng(0x5eed);
    const seeds = FILES.flatMap((f) => {
      const { header, records } = parseAll(fixture(f));
      return records.map((r) => ({ linktype: header.linktype, data: r.data }));
    });
    const before = decoderErrors();
    const started = Date.now();
    for (let i = 0; i < 20_000; i++) {
      const seed = seeds[Math.floor(rand() * seeds.length)];
      if (seed === undefined) throw new Error('no seeds');
      let data: Buffer;
      let linktype: number = seed.linktype;
      const mode = i % 4;
      if (mode === 0) {
        data = Buffer.alloc(Math.floor(rand() * 200));
        for (let k = 0; k < data.length; k++) data[k] = Math.floor(rand() * 256);
        linktype = LINKTYPES[i % LINKTYPES.length] ?? 1;
      } else if (mode === 1) {
        data = seed.data.subarray(0, Math.floor(rand() * seed.data.length));
      } else {
        data = Buffer.from(seed.data);
        const flips = 1 + Math.floor(rand() * 8);
        for (let k = 0; k < flips; k++) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
        if (mode === 3) data = data.subarray(0, Math.floor(rand() * data.length));
      }
      const d = decodePacket(linktype, data);
      expect(typeof d.info).toBe('string');
    }
    expect(decoderErrors() - before).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('DNS with hostile compression pointers and counts', () => {
    const { header, records } = parseAll(fixture('dns.pcap'));
    const frame = Buffer.from(records[1]?.data ?? Buffer.alloc(0));
    const dns = 14 + 20 + 8;
    frame.writeUInt16BE(65535, dns + 4); // 65535 questions
    frame.writeUInt16BE(65535, dns + 6);
    frame.writeUInt16BE(0xc000 | 12, dns + 12); // question name points at itself
    const d = decodePacket(header.linktype, frame);
    expect(d.proto).toBe('DNS');
    expect(decoderErrors()).toBe(0);
  });

  it('the stream parser survives random bytes after a valid header', () => {
    const rand = rng(42);
    const head = fixture('http.pcap').subarray(0, 24);
    for (let i = 0; i < 500; i++) {
      const p = new PcapStreamParser();
      const junk = Buffer.alloc(Math.floor(rand() * 4000));
      for (let k = 0; k < junk.length; k++) junk[k] = Math.floor(rand() * 256);
      const recs = p.push(Buffer.concat([head, junk]));
      for (const r of recs) decodePacket(1, r.data);
    }
    expect(decoderErrors()).toBe(0);
  });
});
