import { describe, expect, it } from 'vitest';
import { deciderTarget, markTraced } from '../../../../renderer/src/explain/decider-target.js';
import { createRuleMarks } from '../../../../renderer/src/panels/rules/rule-marks.js';
import { firewallSnapshot } from '../../../fixtures/snapshots/firewall/load.js';

const { snapshot, host } = firewallSnapshot('mixed-host');

describe('deciderTarget: an explained hop\'s "decided by" names the exact place in the rules view', () => {
  it('a rule keeps its source, family and nftables handle', () => {
    expect(deciderTarget(snapshot, { kind: 'rule', ns: host, table: 'filter', chain: 'forward', spec: 'iifname "eth1" oifname "eth0" accept comment "lan to wan"', backend: 'nftables', family: 'inet', handle: 5 })).toEqual({
      kind: 'rule',
      ns: host,
      table: 'filter',
      chain: 'forward',
      spec: 'iifname "eth1" oifname "eth0" accept comment "lan to wan"',
      backend: 'nftables',
      family: 'inet',
      handle: 5,
    });
  });

  it('a policy is its chain (spec null) in its source', () => {
    expect(deciderTarget(snapshot, { kind: 'policy', ns: host, table: 'filter', chain: 'FORWARD', policy: 'DROP', backend: 'nft-compat', family: 'ip' })).toMatchObject({ kind: 'rule', chain: 'FORWARD', spec: null, backend: 'nft-compat', family: 'ip' });
  });

  it('an ip rule opens the rules view\'s ip rules on it (it used to open the namespace only)', () => {
    expect(deciderTarget(snapshot, { kind: 'ipRule', ns: host, priority: 32766, text: '32766: from all lookup main' })).toEqual({ kind: 'ipRule', ns: host, priority: 32766, text: '32766: from all lookup main' });
  });

  it('a namespace gone from the snapshot leads nowhere', () => {
    expect(deciderTarget(snapshot, { kind: 'policy', ns: 'ns:1', table: 'filter', chain: 'FORWARD', policy: 'DROP' })).toBeNull();
  });
});

describe('markTraced: the trace probe\'s "decided by, for real" marks the rules view', () => {
  it('sets one traced mark, replaces it with the next, and clears it with null', () => {
    const store = createRuleMarks();
    const first = markTraced(snapshot, { kind: 'rule', ns: host, table: 'filter', chain: 'FORWARD', spec: '-o br-vm -j REJECT --reject-with icmp-port-unreachable', backend: 'legacy', family: 'ip' }, store);
    expect(first).toMatchObject({ kind: 'rule', backend: 'legacy', chain: 'FORWARD' });
    expect(store.get()).toEqual([{ kind: 'traced', target: first }]);
    markTraced(snapshot, { kind: 'policy', ns: host, table: 'filter', chain: 'forward', policy: 'drop', backend: 'nftables', family: 'inet' }, store);
    expect(store.get().map((m) => m.target)).toEqual([expect.objectContaining({ chain: 'forward', backend: 'nftables', spec: null })]);
    expect(markTraced(snapshot, { kind: 'route', ns: host, table: 'main', dst: 'default', text: 'default' }, store)).toBeNull();
    expect(store.get()).toEqual([]);
  });
});
