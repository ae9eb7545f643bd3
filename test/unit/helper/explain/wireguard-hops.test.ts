import { describe, expect, it } from 'vitest';
import type { Interface } from '../../../../protocol/src/snapshot.js';
import { fromWireGuard, intoWireGuard, peerFor } from '../../../../helper/explain/wireguard-hops.js';
import type { Packet } from '../../../../helper/explain/packet.js';
import { newTracer } from '../../../../helper/explain/tracer.js';
import type { NetIndex } from '../../../../helper/explain/net-index.js';

// Cryptokey routing (issue 14): the peers as wg0 on hosta had them in test/integration/ssh-wireguard.test.ts.
const peer = (publicKey: string, allowedIps: string[], endpoint: string | null = '10.77.0.3:51820') => ({ publicKey, endpoint, allowedIps, latestHandshake: null });
const b = peer('tgA5PSqV1xP3Yyq2tLtKzV0Cq0dZ0mUoF5k8hY8YbGk=', ['10.88.0.2/32', '10.50.2.0/24']);
const wide = peer('Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg=', ['10.50.0.0/16'], null);
const wg0 = (peers: ReturnType<typeof peer>[] | undefined): Interface =>
  ({ id: 'ns:1/5', ns: 'ns:1', name: 'wg0', kind: 'other', tunnel: { type: 'wireguard', vni: null, local: null, remote: null, group: null, dstPort: null, ...(peers ? { peers } : {}) } }) as unknown as Interface;
const pkt = (src: string, dst: string): Packet => ({ family: 4, src, dst, proto: 'icmp', sport: null, dport: null, ct: 'NEW', mark: 0 }) as unknown as Packet;
const tracer = () => newTracer({} as NetIndex, 'request');

describe('WireGuard hops', () => {
  it('the longest allowed prefix over all peers wins', () => {
    expect(peerFor([wide, b], '10.50.2.2')).toBe(b);
    expect(peerFor([wide, b], '10.50.9.9')).toBe(wide);
    expect(peerFor([wide, b], '192.0.2.1')).toBeNull();
  });

  it('out: to the peer that allows the destination; none, or one without an endpoint, drops; unread peers are unknown', () => {
    let t = tracer();
    expect(intoWireGuard(t, 'ns:1', wg0([b]), pkt('10.50.1.2', '10.50.2.2'))).toBe(true);
    expect(t.hops[0]?.text).toBe('encrypted by wg0 (WireGuard) for peer tgA5PSqV…, sent to 10.77.0.3:51820 (10.77.0.3): 10.50.2.2 is in its allowed IPs');
    t = tracer();
    expect(intoWireGuard(t, 'ns:1', wg0([b]), pkt('10.50.1.2', '10.60.0.1'))).toBe(false);
    expect(t.hops[0]).toMatchObject({ verdict: 'drop', text: 'WireGuard drops it: no peer of wg0 has 10.60.0.1 in its allowed IPs (they allow 10.88.0.2/32, 10.50.2.0/24)' });
    t = tracer();
    expect(intoWireGuard(t, 'ns:1', wg0([b, wide]), pkt('10.50.1.2', '10.50.7.1'))).toBe(false);
    expect(t.hops[0]?.text).toMatch(/^WireGuard drops it: peer Zm9vYmFy… of wg0 takes 10\.50\.7\.1 but has no endpoint/);
    t = tracer();
    expect(intoWireGuard(t, 'ns:1', wg0(undefined), pkt('10.50.1.2', '10.50.2.2'))).toBe(false);
    expect(t.hops[0]?.verdict).toBe('unknown');
    expect(t.unknown).toHaveLength(1);
  });

  it('in: only a source the peer is allowed to send from', () => {
    let t = tracer();
    expect(fromWireGuard(t, wg0([b]), pkt('10.50.2.2', '10.50.1.2'))).toBe(true);
    t = tracer();
    expect(fromWireGuard(t, wg0([b]), pkt('10.50.3.2', '10.50.1.2'))).toBe(false);
    expect(t.hops[0]).toMatchObject({ verdict: 'drop', text: "WireGuard drops it on arrival: 10.50.3.2 is in no peer's allowed IPs on wg0 (they allow 10.88.0.2/32, 10.50.2.0/24)" });
  });
});
