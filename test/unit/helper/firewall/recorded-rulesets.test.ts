import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../../../protocol/src/index.js';
import type { Namespace } from '../../../../protocol/src/index.js';
import { firewallLists } from '../../../../helper/firewall/assemble.js';
import type { FirewallTexts } from '../../../../helper/firewall/read.js';
import { derivePortMappings } from '../../../../helper/discover/port-mappings.js';

// test/fixtures/nftables/: rulesets as Docker 29, netavark, firewalld, kube-proxy, lxc-net, libvirt
// and a mixed legacy + iptables-nft + nftables host write them, recorded with nft -j and
// iptables-*-save, and what a person reading them would say (expected.json).
const root = join(__dirname, '../../../fixtures/nftables');
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

interface Expected {
  tables: { family: string; name: string; backend: string; owner: string }[];
  portMappings: { proto: string; hostIp: string | null; hostPort: number; hostPortEnd?: number; targetIp: string; targetPort: number; owner: string }[];
}

const HOST: Namespace = { id: 'ns:1', inode: 1, name: null, kind: 'host', pids: [1], container: null, ipForward: true };

function texts(dir: string): FirewallTexts {
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
  const saves: FirewallTexts['saves'] = [];
  const nft = read('iptables-nft-save.txt');
  const legacy = read('iptables-legacy-save.txt');
  if (nft) saves.push({ backend: 'nft-compat', family: 'ip', text: nft });
  if (legacy) saves.push({ backend: 'legacy', family: 'ip', text: legacy });
  return { saves, nftJson: read('nft-j.json'), unread: [] };
}

describe('recorded rulesets of real software', () => {
  it('has every case the README lists', () => {
    expect(cases.sort()).toEqual(['docker29', 'firewalld', 'kube-proxy', 'libvirt', 'lxc-net', 'mixed-host', 'netavark']);
  });

  for (const name of cases) {
    describe(name, () => {
      const dir = join(root, name);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
      const lists = firewallLists(texts(dir), HOST.id);

      it('every table, with its source and owner', () => {
        const got = lists.tables.map((t) => ({ family: t.family, name: t.name, backend: t.backend, owner: t.owner }));
        for (const t of expected.tables) {
          const want = { family: t.family, name: t.name, backend: t.backend, owner: t.backend === 'nftables' ? t.owner : 'user' };
          expect(got, `${t.family} ${t.name}`).toContainEqual(want);
        }
        expect(got.filter((t) => t.backend === 'nftables')).toHaveLength(expected.tables.filter((t) => t.backend === 'nftables').length);
      });

      it('nft rules read in full: readable text, no statement left as raw JSON', () => {
        const nft = lists.rules.filter((r) => r.backend === 'nftables');
        for (const r of nft) expect(r.spec, r.spec).not.toMatch(/[{,]"[a-z]+":/);
      });

      it('the port mappings a person reading it would name', () => {
        const snap = { version: 1 as const, takenAt: '', host: { hostname: 'h', kernel: 'k', iptables: 'nft' as const }, namespaces: [HOST], interfaces: [], routes: [], rules: lists.rules, chains: lists.chains, sets: lists.sets, firewallTables: lists.tables, portMappings: [] };
        const mappings = derivePortMappings(snap);
        expect(Snapshot.safeParse({ ...snap, portMappings: mappings }).success).toBe(true);
        const got = mappings.map((m) => ({ proto: m.proto, hostIp: m.hostIp === '0.0.0.0' || m.hostIp === '::' ? null : m.hostIp, hostPort: m.hostPort, ...(m.hostPortEnd !== undefined ? { hostPortEnd: m.hostPortEnd } : {}), targetIp: m.redirect ? null : m.targetIp, targetPort: m.targetPort, owner: m.owner }));
        const want = expected.portMappings.map((m) => ({ proto: m.proto, hostIp: m.hostIp, hostPort: m.hostPort, ...(m.hostPortEnd !== undefined ? { hostPortEnd: m.hostPortEnd } : {}), targetIp: m.targetIp, targetPort: m.targetPort, owner: m.owner }));
        const key = (x: object) => JSON.stringify(x);
        expect(got.map(key).sort()).toEqual(want.map(key).sort());
      });
    });
  }
});
