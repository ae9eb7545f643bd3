import { describe, expect, it } from 'vitest';
import { LINKTYPE, MAGIC_MICRO } from '../../../../helper/pcap/format.js';
import { PcapStreamParser } from '../../../../helper/pcap/stream-parser.js';
import { pcapFile } from '../../../../helper/pcap/write-pcap.js';
import { fixture, parseAll } from './fixtures.js';

/** Rewrites a little-endian pcap file as the same file written big-endian. */
function toBigEndian(le: Buffer): Buffer {
  const b = Buffer.from(le);
  b.writeUInt32BE(b.readUInt32LE(0), 0);
  b.writeUInt16BE(b.readUInt16LE(4), 4);
  b.writeUInt16BE(b.readUInt16LE(6), 6);
  for (const o of [8, 12, 16, 20]) b.writeUInt32BE(b.readUInt32LE(o), o);
  let p = 24;
  while (p + 16 <= b.length) {
    const incl = b.readUInt32LE(p + 8);
    for (let o = 0; o < 16; o += 4) b.writeUInt32BE(b.readUInt32LE(p + o), p + o);
    p += 16 + incl;
  }
  return b;
}

describe('PcapStreamParser', () => {
  it('reads a real tcpdump -w file: header and every record', () => {
    const { header, records } = parseAll(fixture('arp-ping.pcap'));
    expect(header).toMatchObject({ littleEndian: true, nano: false, linktype: LINKTYPE.EN10MB, snaplen: 262144, versionMajor: 2 });
    expect(records).toHaveLength(11);
    expect(records[3]?.data.length).toBe(42); // the ARP request, not padded on a veth
    expect(records[3]?.origLen).toBe(42);
    expect((records[0]?.nsec ?? 1) % 1000).toBe(0);
  });

  it('keeps nanoseconds from a nanosecond-magic file', () => {
    const { header, records } = parseAll(fixture('ping-nano.pcap'));
    expect(header.nano).toBe(true);
    expect(records).toHaveLength(4);
    expect(records.some((r) => r.nsec % 1000 !== 0)).toBe(true);
  });

  it('reads big-endian files the same as little-endian ones', () => {
    const le = fixture('http.pcap');
    const a = parseAll(le);
    const b = parseAll(toBigEndian(le));
    expect(b.header.littleEndian).toBe(false);
    expect(b.records).toEqual(a.records);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const bytes = fixture('http.pcap');
    const whole = parseAll(bytes).records;
    for (const size of [1, 2, 3, 7, 16, 17, 23, 24, 25, 100]) {
      const p = new PcapStreamParser();
      const got = [];
      for (let o = 0; o < bytes.length; o += size) got.push(...p.push(bytes.subarray(o, o + size)));
      expect(got, `chunk ${size}`).toEqual(whole);
      expect(p.pending).toBe(0);
    }
    // random cut points
    for (let t = 0; t < 50; t++) {
      const p = new PcapStreamParser();
      const got = [];
      let o = 0;
      while (o < bytes.length) {
        const n = 1 + Math.floor(Math.random() * 200);
        got.push(...p.push(bytes.subarray(o, o + n)));
        o += n;
      }
      expect(got).toEqual(whole);
    }
  });

  it('stops with an error on a bad magic or an impossible record length, never throws', () => {
    const p = new PcapStreamParser();
    expect(p.push(Buffer.from('this is not a pcap stream at all'))).toEqual([]);
    expect(p.error).toMatch(/not a pcap stream/);
    const bad = Buffer.from(fixture('dns.pcap'));
    bad.writeUInt32LE(10_000_000, 24 + 8);
    const q = new PcapStreamParser();
    expect(q.push(bad)).toEqual([]);
    expect(q.error).toMatch(/exceeds the snap length/);
  });

  it('writes files that read back identically', () => {
    const { header, records } = parseAll(fixture('ping-nano.pcap'));
    const out = pcapFile(header.linktype, header.snaplen, true, records);
    expect(out.readUInt32LE(0)).not.toBe(MAGIC_MICRO);
    expect(out).toEqual(fixture('ping-nano.pcap'));
    const micro = parseAll(pcapFile(header.linktype, header.snaplen, false, records));
    expect(micro.header.nano).toBe(false);
    expect(micro.records.map((r) => Math.floor(r.nsec / 1000))).toEqual(records.map((r) => Math.floor(r.nsec / 1000)));
  });
});
