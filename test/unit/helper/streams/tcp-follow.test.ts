import { describe, expect, it } from 'vitest';
import type { RingEntry } from '../../../../helper/streams/capture-ring.js';
import { followTcp } from '../../../../helper/streams/tcp-follow.js';
import { fixture, parseAll } from '../pcap/fixtures.js';

const { header, records } = parseAll(fixture('http.pcap'));
const entries = (recs = records): RingEntry[] => recs.map((rec, i) => ({ n: i + 1, rec }));
const text = (f: ReturnType<typeof followTcp>, fromClient: boolean): string =>
  Buffer.concat((f?.segments ?? []).filter((s) => s.fromClient === fromClient).map((s) => s.data)).toString('latin1');

describe('followTcp on a real HTTP exchange', () => {
  it('gives the request and the response, client first', () => {
    const f = followTcp(header.linktype, entries(), 4);
    expect(f?.client).toBe('10.9.0.1.48470');
    expect(f?.server).toBe('10.9.0.2.8080');
    expect(f?.segments.map((s) => [s.n, s.fromClient, s.data.length])).toEqual([
      [4, true, 87],
      [6, false, 208],
      [8, false, 14],
    ]);
    expect(text(f, true)).toMatch(/^GET \/index\.html HTTP\/1\.1\r\n/);
    expect(text(f, false)).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*hello-netloom\n$/);
    expect(f?.truncated).toBe(false);
  });

  it('leaves out a retransmitted segment and trims an overlapping one', () => {
    const dup = records[5];
    if (!dup) throw new Error('fixture');
    const f = followTcp(header.linktype, entries([...records.slice(0, 7), dup, ...records.slice(7)]), 1);
    expect(text(f, false)).toBe(text(followTcp(header.linktype, entries(), 1), false));
  });

  it('is undefined for a packet that is not TCP or not in the ring, and stops at the byte limit', () => {
    expect(followTcp(header.linktype, entries(), 99)).toBeUndefined();
    const { header: h2, records: arp } = parseAll(fixture('arp-ping.pcap'));
    expect(followTcp(h2.linktype, arp.map((rec, i) => ({ n: i + 1, rec })), 4)).toBeUndefined();
    const f = followTcp(header.linktype, entries(), 1, 100);
    expect(f?.truncated).toBe(true);
    expect(f?.segments).toHaveLength(1);
  });
});
