import { describe, expect, it } from 'vitest';
import type { FirewallCounters, Rule } from '../../../../../protocol/src/index.js';
import { overlayCounters } from '../../../../../renderer/src/panels/rules/live-counters.js';

const rule = (chain: string, spec: string, backend?: Rule['backend']): Rule => ({ ns: 'ns:1', table: 'filter', chain, spec, owner: 'user', packets: 0, bytes: 0, ...(backend ? { backend, family: 'ip' } : {}) });

describe('live counters over the snapshot', () => {
  it('lays each rule’s latest figures on it by source, table, chain and place; other namespaces and unchanged rules stay the same objects', () => {
    const rules = [rule('INPUT', '-j ACCEPT', 'nft-compat'), rule('INPUT', '-j DROP', 'nft-compat'), rule('INPUT', '-s 1.2.3.4/32 -j DROP', 'legacy'), { ...rule('INPUT', '-j ACCEPT'), ns: 'ns:2' }];
    const c: FirewallCounters = {
      takenAt: '',
      rules: [
        { backend: 'nft-compat', family: 'ip', table: 'filter', chain: 'INPUT', index: 1, packets: 7, bytes: 420 },
        { backend: 'legacy', family: 'ip', table: 'filter', chain: 'INPUT', index: 0, packets: 0, bytes: 0 },
      ],
      chains: [],
    };
    const out = overlayCounters(rules, 'ns:1', c);
    expect(out.map((r) => r.packets)).toEqual([0, 7, 0, 0]);
    expect(out[1]).toMatchObject({ spec: '-j DROP', bytes: 420 });
    expect(out[0]).toBe(rules[0]);
    expect(out[2]).toBe(rules[2]);
    expect(out[3]).toBe(rules[3]);
    expect(overlayCounters(rules, 'ns:1', null)).toBe(rules);
  });
});
