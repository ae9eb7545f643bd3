import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExplainParams } from '../../../../../protocol/src/explain.js';
import { explainPath } from '../../../../../helper/explain/explain-path.js';
import { traceSubscribed } from '../../../../../helper/explain/probe/trace/netlink-subscribed.js';
import { directionOf, MAX_NAMESPACES, splitAddr, traceScope } from '../../../../../helper/explain/probe/trace/trace-scope.js';
import { tracePriority, traceTableScript } from '../../../../../helper/explain/probe/trace/trace-table.js';
import { loadLab, nsId } from '../lab-fixture.js';
import { DIR } from './fixture.js';

describe('traceScope: what a scoped trace watches, from the prediction', () => {
  it('outside → host port 8080 (DNAT to 10.0.0.2:80): both the asked and the translated tuple, each way, in the namespaces on the path', () => {
    const s = loadLab();
    const r = explainPath(s, ExplainParams.parse({ src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }));
    const scope = traceScope(r, { src: '203.0.113.2', dst: '203.0.113.1', port: 8080, srcNs: nsId(s, 'outside'), dstNs: nsId(s, null) }, 'tcp');
    expect(scope.namespaces).toEqual([nsId(s, 'outside'), nsId(s, null), nsId(s, 'ns1')]);
    expect(scope.request).toEqual(expect.arrayContaining([{ src: '203.0.113.2', dst: '203.0.113.1', port: 8080 }, { src: '203.0.113.2', dst: '10.0.0.2', port: 80 }]));
    expect(scope.response).toEqual(expect.arrayContaining([{ src: '10.0.0.2', dst: '203.0.113.2', port: 80 }, { src: '203.0.113.1', dst: '203.0.113.2', port: 8080 }]));
    const script = traceTableScript(scope, -350);
    expect(script).toMatch(/^create table inet netloom-trace \{ flags owner; \}; add chain inet netloom-trace prerouting \{ type filter hook prerouting priority -350; policy accept; \}; add chain inet netloom-trace output/);
    expect(script).toContain('add rule inet netloom-trace prerouting ip saddr 203.0.113.2 ip daddr 10.0.0.2 meta l4proto tcp th dport 80 meta nftrace set 1');
    expect(script).toContain('add rule inet netloom-trace output ip saddr 10.0.0.2 ip daddr 203.0.113.2 meta l4proto tcp th sport 80 meta nftrace set 1');
    // One line: nft -i runs it as one transaction.
    expect(script).not.toContain('\n');
    expect(directionOf(scope, { iif: null, oif: null, saddr: '203.0.113.2', daddr: '10.0.0.2', proto: 'tcp', sport: 40000, dport: 80, icmpType: null, ipId: 1 })).toBe('request');
    expect(directionOf(scope, { iif: null, oif: null, saddr: '203.0.113.2', daddr: '10.0.0.2', proto: 'tcp', sport: 40000, dport: 22, icmpType: null, ipId: 1 })).toBeNull();
  });

  it('ping: echo-request one way, echo-reply the other (IPv6: icmpv6)', () => {
    const scope = { family: 6 as const, proto: 'icmp' as const, request: [{ src: 'fd01::2', dst: 'fd02::2', port: null }], response: [{ src: 'fd02::2', dst: 'fd01::2', port: null }], namespaces: [], skipped: [] };
    expect(traceTableScript(scope, -350)).toContain('ip6 saddr fd01::2 ip6 daddr fd02::2 icmpv6 type echo-request meta nftrace set 1');
    expect(traceTableScript(scope, -350)).toContain('ip6 saddr fd02::2 ip6 daddr fd01::2 icmpv6 type echo-reply meta nftrace set 1');
  });

  it('at most 8 namespaces; the rest are named as skipped', () => {
    const hops = Array.from({ length: 12 }, (_, i) => ({ stage: 'route' as const, ns: `ns:${i}`, inIface: null, outIface: null, src: '10.0.0.2', dst: '10.0.0.3', verdict: 'pass' as const, text: '', decidedBy: null }));
    const r = { verdict: 'reaches' as const, summary: '', src: { ns: 'ns:0', ip: '10.0.0.2', label: '' }, dst: { ns: 'ns:11', ip: '10.0.0.3', label: '' }, proto: 'icmp' as const, port: null, request: hops, response: [], findings: [] };
    const scope = traceScope(r, { src: '10.0.0.2', dst: '10.0.0.3', port: null, srcNs: 'ns:0', dstNs: 'ns:11' }, 'icmp');
    expect(scope.namespaces).toHaveLength(MAX_NAMESPACES);
    // The destination is always among them (last), the path between is cut.
    expect(scope.namespaces.at(-1)).toBe('ns:11');
    expect(scope.skipped).toEqual(['ns:7', 'ns:8', 'ns:9', 'ns:10']);
  });

  it('addresses with ports as hops print them', () => {
    expect(splitAddr('10.0.0.2:80')).toEqual({ ip: '10.0.0.2', port: 80 });
    expect(splitAddr('[fd00::2]:443')).toEqual({ ip: 'fd00::2', port: 443 });
    expect(splitAddr('fd00::2')).toEqual({ ip: 'fd00::2', port: null });
  });

  it('the trace chains go before every chain already at prerouting or output', () => {
    expect(tracePriority([{ family: 'inet', table: 'f', name: 'fw', hook: 'forward', prio: -1000 }])).toBe(-350);
    expect(tracePriority([{ family: 'ip', table: 'raw', name: 'PREROUTING', hook: 'prerouting', prio: -300 }, { family: 'inet', table: 'x', name: 'early', hook: 'output', prio: -400 }])).toBe(-401);
  });
});

describe('traceSubscribed (/proc/PID/net/netlink of a running nft monitor trace)', () => {
  const table = readFileSync(join(DIR, 'proc-net-netlink.txt'), 'utf8');
  const mine = table.split('\n').find((l) => / 12 +\d+ +00000100 /.test(l))!.trim().split(/\s+/)[9]!;
  it('the monitor\'s own socket in the trace group: listening', () => {
    expect(traceSubscribed(table, new Set([mine]))).toBe(true);
  });
  it('another process\'s socket, or none: not yet', () => {
    expect(traceSubscribed(table, new Set(['1']))).toBe(false);
    expect(traceSubscribed(table.replace(/ 00000100 /, ' 00000000 '), new Set([mine]))).toBe(false);
  });
});
