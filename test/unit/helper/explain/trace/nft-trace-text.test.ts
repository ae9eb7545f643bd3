import { describe, expect, it } from 'vitest';
import { parsePacket, parseTraceLine, parseTraceText } from '../../../../../helper/explain/probe/trace/nft-trace-text.js';
import { segmentsOf } from '../../../../../helper/explain/probe/trace/trace-segments.js';
import { NAMESPACES, traceText } from './fixture.js';

const CASES = ['nft-policy-drop', 'iptables-nft-drop', 'pass-tcp', 'dnat', 'ipv6-reject', 'legacy-drop'];

describe('nft monitor trace lines (test/fixtures/nft-trace)', () => {
  it('every line of every recording parses, and none is an unknown kind', () => {
    for (const c of CASES) {
      for (const n of NAMESPACES) {
        const text = traceText(c, n);
        const lines = text.split('\n').filter((l) => l.trim() !== '');
        const parsed = parseTraceText(text);
        expect(parsed.length, `${c}/${n}`).toBe(lines.length);
        expect(parsed.filter((l) => l.kind === 'other'), `${c}/${n}`).toEqual([]);
      }
    }
  });

  it('a policy line, a rule with its handle and verdict, and nft\'s "unknown rule handle N"', () => {
    const r = parseTraceText(traceText('nft-policy-drop', 'r'));
    expect(r[1]).toEqual({ kind: 'rule', id: r[1]!.id, family: 'inet', table: 'netloom-trace', chain: 'prerouting', text: null, handle: 3, verdict: 'continue' });
    expect(r[4]).toMatchObject({ kind: 'policy', family: 'inet', table: 'f', chain: 'fw', policy: 'drop' });
    const drop = parseTraceText(traceText('iptables-nft-drop', 'r')).find((l) => l.kind === 'rule' && l.verdict === 'drop');
    // iptables-nft's comment match prints as nothing: the double space is folded.
    expect(drop).toMatchObject({ family: 'ip', table: 'filter', chain: 'WEB', text: 'tcp dport 81 counter packets 0 bytes 0 drop', handle: 4, verdict: 'drop' });
    const jump = parseTraceText(traceText('pass-tcp', 'r')).find((l) => l.kind === 'rule' && l.verdict.startsWith('jump'));
    expect(jump).toMatchObject({ chain: 'FORWARD', verdict: 'jump WEB' });
  });

  it('packet lines: interfaces, addresses, protocol, ports, ICMP type and the IPv4 id (also without `ip protocol`, as in iptables-nft tables)', () => {
    const lines = parseTraceText(traceText('pass-tcp', 'r'));
    const fwd = lines.find((l) => l.kind === 'packet' && l.table === 'filter');
    expect(fwd?.kind === 'packet' && fwd.packet).toMatchObject({ iif: 'ra', oif: 'rb', saddr: '10.0.1.2', daddr: '10.0.2.2', proto: 'tcp', dport: 80 });
    const v6 = parseTraceText(traceText('ipv6-reject', 'r')).find((l) => l.kind === 'packet');
    expect(v6?.kind === 'packet' && v6.packet).toMatchObject({ saddr: 'fd01::2', daddr: 'fd02::2', proto: 'icmpv6', icmpType: 'echo-request', ipId: null });
    expect(parsePacket('oif "eth0" ip saddr 10.0.1.2 ip daddr 10.0.2.2 ip id 36922 ip protocol icmp icmp type echo-request')).toMatchObject({ oif: 'eth0', iif: null, ipId: 36922, proto: 'icmp', icmpType: 'echo-request' });
  });

  it('text that is not a trace event is skipped; a chain that ends in a return verdict is not final', () => {
    expect(parseTraceLine('# Warning: table ip filter is managed by iptables-nft, do not touch!')).toBeNull();
    expect(parseTraceLine('trace id 1 inet f sub rule ip daddr 10.0.0.1 return # handle 9 (verdict return)')).toMatchObject({ kind: 'rule', verdict: 'return' });
  });
});

describe('segmentsOf: one segment per base chain traversal', () => {
  it('pass-tcp at the router: netloom-trace, then FORWARD (ended in the jumped-to WEB), then inet f fw, per packet', () => {
    const segs = segmentsOf(parseTraceText(traceText('pass-tcp', 'r')).map((line, at) => ({ line, at })));
    const first = segs.slice(0, 3).map((s) => `${s.family} ${s.table} ${s.chain} → ${s.end?.kind === 'rule' ? `${s.end.chain} ${s.end.verdict}` : s.end?.kind === 'policy' ? `policy ${s.end.policy}` : 'open'}`);
    expect(first).toEqual(['inet netloom-trace prerouting → policy accept', 'ip filter FORWARD → WEB accept', 'inet f fw → fw accept']);
    // The reply: WEB returns without a verdict, FORWARD's policy decides.
    expect(segs[4]!.end).toMatchObject({ kind: 'policy', chain: 'FORWARD', policy: 'accept' });
    expect(segs[4]!.rules.map((r) => r.verdict)).toEqual(['jump WEB']);
  });

  it('a trace id used again by a later packet starts a new segment at its packet line (dnat)', () => {
    const segs = segmentsOf(parseTraceText(traceText('dnat', 'r')).map((line, at) => ({ line, at })));
    const packets = segs.filter((s) => s.table === 'netloom-trace').map((s) => s.packet?.ipId);
    expect(new Set(packets).size).toBe(packets.length);
    expect(segs.every((s) => s.end !== null)).toBe(true);
  });
});
