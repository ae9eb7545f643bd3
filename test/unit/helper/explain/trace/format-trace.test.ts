import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../../../protocol/src/explain.js';
import { explainText } from '../../../../../helper/explain/format-text.js';
import { probeTraceLines } from '../../../../../helper/explain/format-trace.js';

const label = (ns: string): string => ({ 'ns:1': 'ns1', 'ns:2': 'the host', 'ns:3': 'outside' })[ns] ?? ns;

const traced: ProbeResult = {
  reached: false,
  command: 'ping -n -c 3 -W 1 -i 0.2 203.0.113.2',
  detail: '0/3 replies',
  ms: 2400,
  decidedBy: { kind: 'rule', ns: 'ns:2', table: 'filter', chain: 'BLOCK', spec: '-d 203.0.113.2/32 -j DROP', backend: 'nft-compat', family: 'ip', handle: 4 },
  trace: [
    { ns: 'ns:2', hook: 'prerouting', direction: 'request', verdict: 'pass', packets: 1, text: 'nat PREROUTING (iptables-nft): let through (translated) by -A PREROUTING -j DNAT', decidedBy: null },
    { ns: 'ns:2', hook: 'forward', direction: 'request', verdict: 'drop', packets: 3, text: 'FORWARD (iptables-nft): dropped by -A BLOCK -d 203.0.113.2/32 -j DROP', decidedBy: null },
  ],
  traceNotes: ['legacy iptables is not traced: netloom cannot confirm what the legacy rules of the host (filter FORWARD) did to the probe'],
  traced: { namespaces: ['ns:1', 'ns:2', 'ns:3'], extraMs: 291.4 },
};

describe('the CLI\'s traced probe', () => {
  it('names what decided for real, then every traced decision per namespace and hook, then the notes', () => {
    expect(probeTraceLines(traced, label)).toEqual([
      '  decided for real by: -A BLOCK -d 203.0.113.2/32 -j DROP (filter, iptables-nft, the host)',
      '  traced by nftables in ns1, the host, outside (+291 ms):',
      '    the host  prerouting  request   ok nat PREROUTING (iptables-nft): let through (translated) by -A PREROUTING -j DNAT',
      '    the host  forward     request   XX FORWARD (iptables-nft): dropped by -A BLOCK -d 203.0.113.2/32 -j DROP (3 packets)',
      '  note: legacy iptables is not traced: netloom cannot confirm what the legacy rules of the host (filter FORWARD) did to the probe',
    ]);
  });

  it('a failed probe no traced rule dropped says so; an untraced probe prints nothing more', () => {
    expect(probeTraceLines({ ...traced, decidedBy: null, trace: [] }, label).slice(0, 3)).toEqual([
      '  decided for real by: no traced rule dropped it (see the notes)',
      '  traced by nftables in ns1, the host, outside (+291 ms):',
      '    (no rule or policy of nftables decided anything for these packets)',
    ]);
    const { trace: _t, decidedBy: _d, traceNotes: _n, traced: _x, ...plain } = traced;
    expect(probeTraceLines(plain, label)).toEqual([]);
    const r = { verdict: 'blocked' as const, summary: 'blocked', src: { ns: 'ns:1', ip: '10.0.0.2', label: 'ns1' }, dst: { ns: 'ns:3', ip: '203.0.113.2', label: 'outside' }, proto: 'icmp' as const, port: null, request: [], response: [], findings: [] };
    expect(explainText(r, label, [], traced)).toContain('probe: NOT REACHED — 0/3 replies (2400 ms)\n  $ ping -n -c 3 -W 1 -i 0.2 203.0.113.2\n  decided for real by:');
  });
});
