import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError } from '../../protocol/src/errors.js';
import { pcapFile } from '../pcap/write-pcap.js';
import type { RequestHandler } from './handler.js';

const TSHARK_MISSING = 'A full decode uses Wireshark\'s tshark, which is not installed here (Debian/Ubuntu: apt install tshark). The built-in decode above covers Ethernet, VLAN, ARP, IPv4/6, ICMP, TCP, UDP and DNS.';

/**
 * `capture.fullDecode`: the packet as a one-record pcap file for tshark — a file, since tshark
 * refuses a socket on stdin and Node's stdin pipes are socketpairs. It lives in a fresh 0700
 * directory and is removed after. `-n` keeps tshark from resolving names: decoding a packet
 * must never send one.
 */
export const captureFullDecode: RequestHandler<'capture.fullDecode'> = {
  kind: 'request',
  run: async (params, call) => {
    const p = call.session.captures.get(params.stream).packet(params.n);
    if (!p) throw new ProtocolError('not_found', `packet ${params.n} is not in the capture's ring (not captured yet, or evicted to stay within its size)`, { path: 'n' });
    const sec = Math.floor(p.summary.time);
    const record = { sec, nsec: Math.round((p.summary.time - sec) * 1e9), origLen: p.summary.length, data: p.bytes };
    const pcap = pcapFile(p.linktype, 262144, true, [record]);
    const dir = await mkdtemp(join(tmpdir(), 'netloom-decode-'));
    try {
      const file = join(dir, 'packet.pcap');
      await writeFile(file, pcap, { mode: 0o600 });
      const r = await call.ctx.exec.run(['tshark', '-n', '-r', file, '-V', '-x'], { signal: call.signal, timeoutMs: 15_000 });
      return { available: true, text: r.stdout };
    } catch (e) {
      if (e instanceof ProtocolError && e.code === 'unavailable') return { available: false, text: TSHARK_MISSING };
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
