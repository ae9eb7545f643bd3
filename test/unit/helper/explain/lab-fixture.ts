import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import { Snapshot as SnapshotSchema } from '../../../../protocol/src/snapshot.js';

/**
 * The single-node lab as `bin/netloom snapshot` printed it in the sandbox
 * (test/fixtures/explain/record.sh): ns1 10.0.0.2/24 ↔ host 10.0.0.1/24 (veth-ns1), host
 * uplink 203.0.113.1/24 ↔ outside 203.0.113.2/24 (no route back to 10.0.0.0/24), forwarding on,
 * MASQUERADE 10.0.0.0/24 out of uplink, tcp 8080 → 10.0.0.2:80 in PREROUTING and OUTPUT.
 * Each test breaks one thing the way the kernel would show it.
 */
export function loadLab(name: 'single-node' | 'docker-forward' | 'bridge-icc' | 'docker-icc' = 'single-node'): Snapshot {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'explain', `${name}.json`), 'utf8');
  return SnapshotSchema.parse(JSON.parse(text));
}

export const nsId = (s: Snapshot, name: string | null): string => s.namespaces.find((n) => (name === null ? n.kind === 'host' : n.name === name))!.id;
export const iface = (s: Snapshot, ns: string | null, name: string) => s.interfaces.find((i) => i.ns === nsId(s, ns) && i.name === name)!;

/** `ip link set NAME down`: the link is down and the kernel drops its routes (the local ones stay). */
export function linkDown(s: Snapshot, ns: string | null, name: string): void {
  const i = iface(s, ns, name);
  i.up = false;
  i.operstate = 'DOWN';
  s.routes = s.routes.filter((r) => !(r.dev === i.id && r.table !== 'local'));
  if (name === 'lo') s.routes = s.routes.filter((r) => r.dev !== i.id);
}

export function dropRoutes(s: Snapshot, ns: string | null, dst: string): void {
  const id = nsId(s, ns);
  s.routes = s.routes.filter((r) => !(r.ns === id && r.dst === dst));
}

export function dropRules(s: Snapshot, ns: string | null, match: (spec: string, chain: string) => boolean): void {
  const id = nsId(s, ns);
  s.rules = s.rules.filter((r) => !(r.ns === id && match(r.spec, r.chain)));
}

/** A rule as iptables-save prints it, added at the end of its chain (the chain declared if new). */
export function addRule(s: Snapshot, ns: string | null, table: string, chain: string, spec: string, owner: 'user' | 'netloom' | 'docker' = 'user'): void {
  const id = nsId(s, ns);
  s.rules.push({ ns: id, table, chain, spec, owner, packets: 0, bytes: 0 });
  s.chains ??= [];
  if (!s.chains.some((c) => c.ns === id && c.table === table && c.chain === chain)) {
    const builtin = /^[A-Z]+$/.test(chain) && !chain.includes('-');
    s.chains.push({ ns: id, table, chain, policy: builtin ? 'ACCEPT' : null, packets: 0, bytes: 0, owner });
  }
}

export function setPolicy(s: Snapshot, ns: string | null, table: string, chain: string, policy: string): void {
  const id = nsId(s, ns);
  s.chains ??= [];
  const c = s.chains.find((x) => x.ns === id && x.table === table && x.chain === chain);
  if (c) c.policy = policy;
  else s.chains.push({ ns: id, table, chain, policy, packets: 0, bytes: 0, owner: 'user' });
}
