import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../../../../protocol/src/snapshot.js';
import { nftOnlyRulesNotice } from '../../../../../helper/discover/runtimes/nft-rules-notice.js';

const fixtures = join(__dirname, '../../../../fixtures/lxc');
const recorded = (file: string): Snapshot => Snapshot.parse(JSON.parse(readFileSync(join(fixtures, file), 'utf8')));
const hostOf = (s: Snapshot): string | null => s.namespaces.find((n) => n.kind === 'host')?.id ?? null;

describe('nftOnlyRulesNotice (lxc-net writing nftables)', () => {
  it('says so when lxcbr0 runs and none of its rules are in iptables (recorded on lxc-net in nftables mode)', () => {
    const s = recorded('nft/snapshot.json');
    expect(s.rules.filter((r) => r.owner === 'lxc')).toEqual([]);
    expect(nftOnlyRulesNotice(s.runtimeNetworks ?? [], s.rules, hostOf(s))?.message).toMatch(/^LXC's lxcbr0 runs, but none of lxc-net's NAT and firewall rules are in iptables/);
  });

  it('stays quiet when lxc-net used iptables (recorded), or when there is no LXC at all', () => {
    const s = recorded('snapshot.json');
    expect(nftOnlyRulesNotice(s.runtimeNetworks ?? [], s.rules, hostOf(s))).toBeNull();
    expect(nftOnlyRulesNotice([], [], hostOf(s))).toBeNull();
  });
});
