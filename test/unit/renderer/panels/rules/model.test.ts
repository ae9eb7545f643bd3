import { describe, expect, it } from 'vitest';
import { groupRules } from '../../../../../renderer/src/panels/group-rules.js';
import { priorityText } from '../../../../../renderer/src/panels/rules/base-chains.js';
import { byHook, coexistByHook } from '../../../../../renderer/src/panels/rules/hook-order.js';
import { jumpOf } from '../../../../../renderer/src/panels/rules/jumps.js';
import { chainMark, ruleMark } from '../../../../../renderer/src/panels/rules/mark-match.js';
import type { RuleMark } from '../../../../../renderer/src/panels/rules/rule-marks.js';
import { hasCounter, setNamesIn, splitAtSets } from '../../../../../renderer/src/panels/rules/set-refs.js';
import { tableWithSource } from '../../../../../renderer/src/panels/rules/source-labels.js';
import { firewallSnapshot } from '../../../../fixtures/snapshots/firewall/load.js';
import { HOST, labSnapshot } from '../../../../fixtures/snapshots/lab-snapshot.js';

const mixed = firewallSnapshot('mixed-host');
const docker = firewallSnapshot('docker29');
const kube = firewallSnapshot('kube-proxy');

describe('groupRules: every table of every source, each named with its source', () => {
  it('mixed host: legacy iptables, iptables-nft and nftables tables apart, though three are called "filter"', () => {
    const tables = groupRules(mixed.snapshot, mixed.host);
    expect(tables.map((t) => tableWithSource(t.ref))).toEqual([
      'legacy iptables filter',
      'legacy iptables nat',
      'iptables-nft filter',
      'iptables-nft nat',
      'iptables-nft mangle',
      'nftables inet filter',
    ]);
    const forward = (i: number) => tables[i]?.chains.find((c) => c.chain.toLowerCase() === 'forward');
    expect(forward(0)).toMatchObject({ policy: 'ACCEPT', hook: 'forward', priority: 0 });
    expect(forward(0)?.rules).toHaveLength(5);
    expect(forward(2)).toMatchObject({ policy: 'DROP', hook: 'forward', priority: 0 });
    expect(forward(2)?.rules).toHaveLength(6);
    expect(forward(5)).toMatchObject({ policy: 'drop', hook: 'forward', type: 'filter' });
    // Base chains by hook first, then the chains they jump to in the order a packet meets them.
    expect(tables[2]?.chains.map((c) => c.chain)).toEqual(['INPUT', 'FORWARD', 'OUTPUT', 'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER']);
  });

  it('Docker 29: both docker-bridges tables with their owner and why, and their verdict maps', () => {
    const tables = groupRules(docker.snapshot, docker.host);
    expect(tables.map((t) => [tableWithSource(t.ref), t.owner, t.ownerWhy])).toEqual([
      ['nftables ip docker-bridges', 'docker', 'table name docker-bridges'],
      ['nftables ip6 docker-bridges', 'docker', 'table name docker-bridges'],
    ]);
    expect(tables[0]?.sets.map((s) => s.name)).toContain('filter-forward-in-jumps');
  });

  it('kube-proxy: a chain reached only through verdict maps comes right after the chain that uses them', () => {
    const names = groupRules(kube.snapshot, kube.host)[0]?.chains.map((c) => c.chain) ?? [];
    // nat-prerouting jumps to services, whose vmap @service-ips goes to service-…, whose rules
    // jump to mark-for-masquerade and (an anonymous vmap) go to endpoint-…
    const at = names.indexOf('services');
    expect(names.slice(at, at + 4)).toEqual(['services', 'service-ULMVA6XW-ns1/svc1/tcp/p80', 'mark-for-masquerade', 'endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80']);
    expect(names.slice(0, 8).every((n) => /^(filter|nat)-/.test(n))).toBe(true);
  });

  it('an older snapshot (no backend) still groups as plain iptables, filter first', () => {
    const tables = groupRules(labSnapshot(), HOST);
    expect(tables.map((t) => tableWithSource(t.ref))[0]).toBe('iptables filter');
    expect(tables[0]?.chains.find((c) => c.chain === 'FORWARD')).toMatchObject({ hook: 'forward', priority: 0 });
  });
});

describe('byHook: the kernel\'s order', () => {
  it('forward on the mixed host: mangle (-150) first, then three base chains at filter (0), marked as ties', () => {
    const fwd = byHook(groupRules(mixed.snapshot, mixed.host), 4).find((h) => h.hook === 'forward');
    expect(fwd?.entries.map((e) => `${tableWithSource(e.table.ref)} ${e.chain.chain} ${e.priority}${e.tie ? ' tie' : ''}`)).toEqual([
      'iptables-nft mangle FORWARD -150',
      'legacy iptables filter FORWARD 0',
      'iptables-nft filter FORWARD 0 tie',
      'nftables inet filter forward 0 tie',
    ]);
  });

  it('the hooks where legacy and nftables coexist are the ones the snapshot\'s notice names', () => {
    const hooks = [...coexistByHook(groupRules(mixed.snapshot, mixed.host)).keys()].sort();
    const notice = mixed.snapshot.notices?.find((n) => n.message.includes('both have rules'))?.message ?? '';
    expect(hooks).toEqual(['forward', 'postrouting', 'prerouting']);
    for (const h of hooks) expect(notice).toContain(h);
  });

  it('an IPv6 packet meets ip6 and inet tables only; every IP hook is listed', () => {
    const v6 = byHook(groupRules(docker.snapshot, docker.host), 6);
    expect(v6.map((h) => h.hook)).toEqual(['prerouting', 'input', 'forward', 'output', 'postrouting']);
    expect(v6.flatMap((h) => h.entries.map((e) => e.table.ref.family))).not.toContain('ip');
    expect(v6.find((h) => h.hook === 'input')?.entries).toEqual([]);
  });

  it('reads priorities the way nft names them', () => {
    expect(priorityText(-100, 'prerouting')).toBe('dstnat (-100)');
    expect(priorityText(-110, 'output')).toBe('dstnat - 10 (-110)');
    expect(priorityText(100, 'postrouting')).toBe('srcnat (100)');
    expect(priorityText(110, 'postrouting')).toBe('srcnat + 10 (110)');
    expect(priorityText(-140, 'prerouting')).toBe('mangle + 10 (-140)');
    expect(priorityText(-300, 'prerouting')).toBe('raw (-300)');
    expect(priorityText(-200, 'prerouting')).toBe('-200');
  });
});

describe('sets, counters and jumps of a rule', () => {
  const rule = (s: typeof kube, spec: string) => s.snapshot.rules.find((r) => r.spec === spec)!;
  it('finds the named sets a rule uses from its expressions and cuts its text around them', () => {
    const r = rule(kube, 'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports');
    expect(setNamesIn(r).sort()).toEqual(['nodeport-ips', 'service-nodeports']);
    expect(splitAtSets(r.spec, setNamesIn(r))).toEqual([{ text: 'ip daddr ' }, { set: 'nodeport-ips' }, { text: ' meta l4proto . th dport vmap ' }, { set: 'service-nodeports' }]);
    expect(setNamesIn({ ...r, expr: undefined })).toEqual(['nodeport-ips', 'service-nodeports']);
  });

  it('an nftables rule without a counter statement counts nothing; with one (Docker 29) it does', () => {
    expect(hasCounter(rule(kube, 'ip daddr . meta l4proto . th dport vmap @service-ips'))).toBe(false);
    expect(hasCounter(docker.snapshot.rules.find((r) => r.handle === 21)!)).toBe(true);
    expect(hasCounter(mixed.snapshot.rules.find((r) => r.backend === 'legacy')!)).toBe(true);
  });

  it('a jump, goto or iptables -j to a chain of the table links there; a verdict does not', () => {
    const chains = new Set(['DOCKER', 'services']);
    expect(jumpOf('jump services', chains)).toBe('services');
    expect(jumpOf('goto services', chains)).toBe('services');
    expect(jumpOf('DOCKER', chains)).toBe('DOCKER');
    expect(jumpOf('ACCEPT', chains)).toBeNull();
    expect(jumpOf('jump elsewhere', chains)).toBeNull();
  });
});

describe('marks are exact: source, family and handle', () => {
  const tables = groupRules(mixed.snapshot, mixed.host);
  const forwards = tables.flatMap((t) => t.chains.filter((c) => c.chain.toLowerCase() === 'forward' && c.ref.table === 'filter'));
  it('a legacy FORWARD policy marks the legacy chain only, not iptables-nft\'s or the inet table\'s', () => {
    const marks: RuleMark[] = [{ kind: 'focus', target: { kind: 'rule', ns: mixed.host, backend: 'legacy', family: 'ip', table: 'filter', chain: 'FORWARD', spec: null } }];
    expect(forwards.map((c) => [c.ref.backend, chainMark(marks, c)])).toEqual([
      ['legacy', 'focus'],
      ['nft-compat', null],
      ['nftables', null],
    ]);
  });

  it('an nftables rule is found by its handle; the same text elsewhere is not marked', () => {
    const d = docker.snapshot.rules.find((r) => r.handle === 29)!;
    const twin = docker.snapshot.rules.find((r) => r.handle === 37)!;
    expect(twin.spec).toBe(d.spec);
    const marks: RuleMark[] = [{ kind: 'traced', target: { kind: 'rule', ns: docker.host, backend: 'nftables', family: 'ip', table: 'docker-bridges', chain: d.chain, spec: d.spec, handle: 29 } }];
    expect(ruleMark(marks, d)).toBe('traced');
    expect(ruleMark(marks, twin)).toBeNull();
    // A second copy of the very same rule in the same chain (nft allows it) has another handle.
    expect(ruleMark(marks, { ...d, handle: 99 })).toBeNull();
    expect(ruleMark(marks, { ...d, family: 'ip6' })).toBeNull();
  });
});
