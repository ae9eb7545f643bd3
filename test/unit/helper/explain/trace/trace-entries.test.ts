import { describe, expect, it } from 'vitest';
import { finalDecider, traceEntries } from '../../../../../helper/explain/probe/trace/trace-entries.js';
import { fixtureSnapshot, nsTraces, scopeOf } from './fixture.js';

/** The recorded traces of test/fixtures/nft-trace → what explain.probe reports, with the rules named as the rest of netloom names them. */
function entriesOf(c: string, scope: ReturnType<typeof scopeOf>) {
  const snapshot = fixtureSnapshot(c);
  return traceEntries(scope, nsTraces(c, snapshot));
}

describe('trace entries from the recordings', () => {
  it('an nftables-only forward policy drop: the chain\'s policy is named, for both pings', () => {
    const e = entriesOf('nft-policy-drop', scopeOf('icmp', [{ src: '10.0.1.2', dst: '10.0.2.2', port: null }]));
    expect(e).toEqual([
      {
        ns: 'ns:r',
        hook: 'forward',
        direction: 'request',
        verdict: 'drop',
        packets: 2,
        decidedBy: { kind: 'policy', ns: 'ns:r', table: 'f', chain: 'fw', policy: 'drop', backend: 'nftables', family: 'inet' },
        text: 'nft inet f fw: dropped by its policy drop',
      },
    ]);
    expect(finalDecider(e, false)).toEqual(e[0]!.decidedBy);
    expect(finalDecider(e, true)).toBeNull();
  });

  it('a DROP in an iptables-nft user chain: named as iptables-nft-save spells it, with its nft handle', () => {
    const e = entriesOf('iptables-nft-drop', scopeOf('tcp', [{ src: '10.0.1.2', dst: '10.0.2.2', port: 81 }]));
    const drop = e.find((x) => x.verdict === 'drop');
    expect(drop?.decidedBy).toEqual({ kind: 'rule', ns: 'ns:r', table: 'filter', chain: 'WEB', spec: '-p tcp -m tcp --dport 81 -m comment --comment "no 81" -j DROP', backend: 'nft-compat', family: 'ip', handle: 4 });
    expect(drop?.text).toBe('FORWARD (iptables-nft): dropped by -A WEB -p tcp -m tcp --dport 81 -m comment --comment "no 81" -j DROP');
    expect(drop?.packets).toBeGreaterThanOrEqual(1);
  });

  it('a packet that passes: the accepting rule of every base chain per hook, request and reply', () => {
    const e = entriesOf('pass-tcp', scopeOf('tcp', [{ src: '10.0.1.2', dst: '10.0.2.2', port: 80 }]));
    const said = e.map((x) => `${x.ns} ${x.direction} ${x.hook} ${x.verdict}: ${x.text}`);
    expect(said).toContain('ns:r request forward pass: FORWARD (iptables-nft): accepted by -A WEB -p tcp -m tcp --dport 80 -m comment --comment web -j ACCEPT');
    expect(said).toContain('ns:r request forward pass: nft inet f fw: accepted by "tcp dport 80 accept"');
    expect(said).toContain('ns:r response forward pass: FORWARD (iptables-nft): accepted by the FORWARD policy ACCEPT');
    expect(said).toContain('ns:r response forward pass: nft inet f fw: accepted by "ct state established,related accept"');
    expect(said).toContain('ns:b request input pass: nft inet host in: accepted by "tcp dport 80 accept"');
    expect(e.every((x) => x.verdict === 'pass')).toBe(true);
    const native = e.find((x) => x.ns === 'ns:r' && x.decidedBy?.kind === 'rule' && x.decidedBy.backend === 'nftables');
    // The handle travels with the rule (the rules view focuses on it exactly).
    expect(native?.decidedBy).toMatchObject({ kind: 'rule', table: 'f', chain: 'fw', family: 'inet', handle: expect.any(Number) });
  });

  it('a DNAT: the nat chain that translated is named, the nat chains that did nothing are not', () => {
    const e = entriesOf('dnat', scopeOf('tcp', [
      { src: '10.0.1.2', dst: '10.0.1.1', port: 8080 },
      { src: '10.0.1.2', dst: '10.0.2.2', port: 80 },
    ]));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ ns: 'ns:r', hook: 'prerouting', direction: 'request', verdict: 'pass', decidedBy: { kind: 'rule', table: 'nat', chain: 'PREROUTING', spec: '-d 10.0.1.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.2.2:80', backend: 'nft-compat' } });
    expect(e[0]!.text).toMatch(/^nat PREROUTING \(iptables-nft\): let through \(translated\) by -A PREROUTING/);
  });

  it('IPv6: a native reject is named as rejected', () => {
    const e = entriesOf('ipv6-reject', scopeOf('icmp', [{ src: 'fd01::2', dst: 'fd02::2', port: null }], 6));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ verdict: 'drop', packets: 2, decidedBy: { kind: 'rule', spec: 'ip6 daddr fd02::2 icmpv6 type echo-request reject with icmpv6 admin-prohibited', backend: 'nftables', family: 'inet', handle: 2 } });
    expect(e[0]!.text).toContain('rejected by');
  });

  it('a legacy iptables drop leaves nothing in the trace: no entry, no decider (the notes say why)', () => {
    const e = entriesOf('legacy-drop', scopeOf('icmp', [{ src: '10.0.1.2', dst: '10.0.2.2', port: null }]));
    expect(e).toEqual([]);
    expect(finalDecider(e, false)).toBeNull();
  });

  it('packets that are not the probe\'s are left out', () => {
    const e = entriesOf('pass-tcp', scopeOf('tcp', [{ src: '10.0.1.2', dst: '10.0.2.2', port: 81 }]));
    expect(e).toEqual([]);
  });
});
