import type { Chain, FirewallSet, FirewallTable, Interface, Namespace, Notice, Route, Rule, Snapshot } from '../../protocol/src/snapshot.js';
import { SNAPSHOT_VERSION, ifaceIdOf } from '../../protocol/src/snapshot.js';
import type { HostInfo } from './host-info.js';
import type { ParsedLink } from './ip-link.js';
import { firewallLists, type NsFirewallLists } from '../firewall/assemble.js';
import { coexistNotices } from '../firewall/coexist.js';
import { masterId, parentId } from './link-refs.js';
import type { FoundNamespace } from './namespaces.js';
import { derivePortMappings } from './port-mappings.js';
import type { NamespaceState } from './read-namespace.js';
import { cniOwnerOnNode, ownCniChains } from './runtimes/cni-owner.js';
import { applyContainers, mergeProxyMappings, placeNetworks } from './runtimes/join.js';
import { EMPTY_RUNTIME_VIEW, type RuntimeView } from './runtimes/types.js';
import { resolveVethPeers } from './veth-peers.js';
import { tunnelOf } from './tunnel-of.js';

function toInterface(nsId: string, l: ParsedLink, byName: Map<string, ParsedLink>, peer: string | null, parent: string | null): Interface {
  const i: Interface = {
    id: ifaceIdOf(nsId, l.ifindex),
    ns: nsId,
    ifindex: l.ifindex,
    name: l.name,
    kind: l.kind,
    mac: l.mac,
    mtu: l.mtu,
    up: l.up,
    operstate: l.operstate,
    addresses: l.addresses,
    master: masterId(nsId, l, byName),
    peer,
    stats: l.stats,
    linkKind: l.linkKind,
    parent,
    flags: l.flags,
  };
  if (l.vlanId !== null) i.vlanId = l.vlanId;
  return i;
}

// A state is never mutated once read (re-reads replace it), so its parsed rules can be kept:
// the live watcher reassembles after each change without re-parsing every namespace's rules.
const parsedRules = new WeakMap<NamespaceState, NsFirewallLists>();
function rulesOf(s: NamespaceState, texts: NonNullable<NamespaceState['firewall']>): NsFirewallLists {
  let p = parsedRules.get(s);
  if (p === undefined) {
    p = firewallLists(texts, s.id);
    parsedRules.set(s, p);
  }
  return p;
}

/**
 * Builds Snapshot v1 from what was read — pure: no I/O, so the live watcher can reassemble after
 * re-reading a single namespace. `states` may miss namespaces (not read yet); they appear empty.
 */
export function assembleSnapshot(
  host: HostInfo,
  found: FoundNamespace[],
  states: NamespaceState[],
  notices: Notice[],
  takenAt: string = new Date().toISOString(),
  runtime: RuntimeView = EMPTY_RUNTIME_VIEW,
): Snapshot {
  found = applyContainers(found, runtime.containersByInode);
  const stateOf = new Map(states.map((s) => [s.id, s]));
  const nameToNs = new Map<string, string>();
  for (const f of found) if (f.name !== null) nameToNs.set(f.name, f.target.id);
  const nsNameOf = new Map(found.map((f) => [f.target.id, f.name]));
  const present = found.flatMap((f) => {
    const s = stateOf.get(f.target.id);
    return s ? [s] : [];
  });
  const { peers, nsidMap } = resolveVethPeers(
    present.map((s) => ({ id: s.id, links: s.links, nsids: s.nsids ?? new Map<number, string | null>() })),
    nameToNs,
  );

  const namespaces: Namespace[] = found.map((f) => {
    const s = stateOf.get(f.target.id);
    return {
      id: f.target.id,
      inode: f.inode,
      name: f.name,
      kind: f.kind,
      pids: f.pids,
      container: f.container,
      ipForward: s?.ipForward ?? null,
      processes: f.processes,
      error: s ? s.error : 'not read yet',
      ...(s?.ipRules ? { ipRules: s.ipRules } : {}),
      ...(s?.sysctls ? { sysctls: s.sysctls } : {}),
      ...(s?.firewall && s.firewall.unread.length > 0 ? { firewallUnread: s.firewall.unread } : {}),
    };
  });

  const interfaces: Interface[] = [];
  const routes: Route[] = [];
  const rules: Rule[] = [];
  const chains: Chain[] = [];
  const firewallTables: FirewallTable[] = [];
  const sets: FirewallSet[] = [];
  const iptablesTrouble: string[] = [];
  for (const s of present) {
    const byName = new Map(s.links.map((l) => [l.name, l]));
    for (const l of s.links) {
      const id = ifaceIdOf(s.id, l.ifindex);
      const i = toInterface(s.id, l, byName, peers.get(id) ?? null, parentId(s.id, l, byName, nsidMap.get(s.id)));
      const tunnel = tunnelOf(l, s.fdb, s.wgPeers, nsNameOf.get(s.id) ?? null);
      interfaces.push(tunnel === undefined ? i : { ...i, tunnel });
    }
    for (const r of s.routes) {
      const dev = r.devName === null ? undefined : byName.get(r.devName);
      routes.push({
        ns: s.id,
        table: r.table,
        dst: r.dst,
        gateway: r.gateway,
        dev: dev === undefined ? null : ifaceIdOf(s.id, dev.ifindex),
        src: r.src,
        protocol: r.protocol,
        scope: r.scope,
        metric: r.metric,
        type: r.type,
        family: r.family,
      });
    }
    if (s.firewall !== null) {
      const parsed = rulesOf(s, s.firewall);
      rules.push(...parsed.rules);
      chains.push(...parsed.chains);
      firewallTables.push(...parsed.tables);
      sets.push(...parsed.sets);
      if (parsed.unread.length > 0 && s.error === null) iptablesTrouble.push(parsed.unread[0]!);
    }
  }

  const allNotices = [...notices, ...runtime.notices];
  const firstTrouble = iptablesTrouble[0];
  if (firstTrouble !== undefined) {
    const n = iptablesTrouble.length;
    allNotices.push({ level: 'warning', message: `firewall rules of ${n} namespace${n === 1 ? '' : 's'} could not be read completely (${firstTrouble}); Explain says "unknown" where they could matter` });
  }
  allNotices.push(...coexistNotices(namespaces, chains, rules));
  const cniOwner = cniOwnerOnNode(runtime.networks);
  const owned = { rules: ownCniChains(rules, cniOwner), chains: ownCniChains(chains, cniOwner) };
  const portMappings = mergeProxyMappings(derivePortMappings({ namespaces, interfaces, rules: owned.rules, routes, chains: owned.chains, sets }), runtime.proxies, interfaces, routes);
  const hostNs = found.find((f) => f.kind === 'host')?.target.id ?? null;
  const runtimeNetworks = placeNetworks(runtime.networks, hostNs, interfaces);
  return {
    version: SNAPSHOT_VERSION,
    takenAt,
    host,
    namespaces,
    interfaces,
    routes,
    rules: owned.rules,
    portMappings,
    chains: owned.chains,
    notices: allNotices,
    ...(runtimeNetworks.length > 0 ? { runtimeNetworks } : {}),
    firewallTables,
    sets,
  };
}
