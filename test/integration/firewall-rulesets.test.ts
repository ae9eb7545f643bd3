import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { systemExec } from '../../helper/exec.js';
import { takeSnapshot } from '../../helper/discover/topology-cache.js';
import { resetSandbox, sh } from '../sandbox.js';

// Issue 12: the rulesets real software writes (test/fixtures/nftables/: Docker 29, netavark,
// firewalld, kube-proxy, lxc-net, libvirt, a mixed legacy + iptables-nft + nftables host), each
// loaded for real into a namespace of its own, then read by discovery as it reads any host —
// netloom-nsread's table list, then only the programs that have something to print — and
// compared with what a person reading the ruleset names (expected.json).

const root = join(__dirname, '../fixtures/nftables');
const CASES = ['docker29', 'netavark', 'firewalld', 'kube-proxy', 'lxc-net', 'libvirt', 'mixed-host'];

interface Expected {
  tables: { family: string; name: string; backend: string; owner: string }[];
  portMappings: { proto: string; hostIp: string | null; hostPort: number; hostPortEnd?: number; targetIp: string | null; targetPort: number; owner: string }[];
}

/** The interfaces a case's rules name by index (iif/oif), as record.sh makes them. */
const LINKS: Record<string, string[][]> = {
  libvirt: [['ip', 'link', 'add', 'virbr0', 'type', 'bridge']],
  firewalld: [
    ['ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0-peer'],
    ['ip', 'link', 'add', 'ctbr0', 'type', 'bridge'],
  ],
};

let snap: Snapshot;
const nsId = (name: string): string => snap.namespaces.find((n) => n.name === `fx-${name}`)!.id;

beforeAll(async () => {
  await resetSandbox();
  for (const c of CASES) {
    const ns = `fx-${c}`;
    await sh(['ip', 'netns', 'add', ns]);
    for (const argv of LINKS[c] ?? []) await sh(['ip', 'netns', 'exec', ns, ...argv]);
    const dir = join(root, c);
    if (existsSync(join(dir, 'iptables-legacy.rules'))) await sh(['ip', 'netns', 'exec', ns, 'iptables-legacy-restore'], readFileSync(join(dir, 'iptables-legacy.rules'), 'utf8'));
    if (existsSync(join(dir, 'iptables-nft.rules'))) await sh(['ip', 'netns', 'exec', ns, 'iptables-nft-restore'], readFileSync(join(dir, 'iptables-nft.rules'), 'utf8'));
    await sh(['ip', 'netns', 'exec', ns, 'nft', '-f', join(dir, 'ruleset.nft')]);
  }
  snap = await takeSnapshot(systemExec);
}, 120_000);

afterAll(async () => {
  await resetSandbox();
});

describe('real rulesets, read live', () => {
  for (const c of CASES) {
    it(`${c}: every table with its source and owner, and the port mappings`, () => {
      const expected = JSON.parse(readFileSync(join(root, c, 'expected.json'), 'utf8')) as Expected;
      const ns = nsId(c);
      const tables = (snap.firewallTables ?? []).filter((t) => t.ns === ns).map((t) => ({ family: t.family, name: t.name, backend: t.backend, owner: t.owner }));
      for (const t of expected.tables) expect(tables).toContainEqual({ family: t.family, name: t.name, backend: t.backend, owner: t.backend === 'nftables' ? t.owner : 'user' });
      expect(snap.namespaces.find((n) => n.id === ns)?.firewallUnread ?? []).toEqual([]);
      const got = snap.portMappings
        .filter((m) => m.ns === ns)
        .map((m) => JSON.stringify({ proto: m.proto, hostIp: m.hostIp === '0.0.0.0' || m.hostIp === '::' ? null : m.hostIp, hostPort: m.hostPort, ...(m.hostPortEnd !== undefined ? { hostPortEnd: m.hostPortEnd } : {}), targetIp: m.redirect ? null : m.targetIp, targetPort: m.targetPort, owner: m.owner }));
      const want = expected.portMappings.map((m) => JSON.stringify({ proto: m.proto, hostIp: m.hostIp, hostPort: m.hostPort, ...(m.hostPortEnd !== undefined ? { hostPortEnd: m.hostPortEnd } : {}), targetIp: m.targetIp, targetPort: m.targetPort, owner: m.owner }));
      expect(got.sort()).toEqual(want.sort());
    });
  }

  it('mixed-host: legacy iptables beside nftables at one hook is said', () => {
    expect(snap.notices?.some((n) => n.message.includes('fx-mixed-host') && /legacy iptables/.test(n.message))).toBe(true);
  });
});
