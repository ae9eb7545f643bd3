import type { Finding, HealthResult } from '../../protocol/src/explain.js';
import type { Interface, Snapshot } from '../../protocol/src/snapshot.js';
import { gatewayFor, forwardingOn, masquerade, routeVia } from './fixes.js';
import { finding } from './findings/context.js';
import { linkDown, loopbackDown } from './findings/links.js';
import { addrOf, cidrHolds, familyOf, isGlobal, isPrivate4, networkOf } from '../net/ip-addr.js';
import type { NetIndex } from './net-index.js';
import { indexSnapshot, nsName } from './net-index.js';
import { hasDefaultRoute } from './route-lookup.js';
import type { Listening } from './tracer.js';

/**
 * explain.health: what is wrong in each namespace on its own, without a source and a
 * destination — the same findings explain.path gives, found by looking rather than tracing.
 */
const globals4 = (i: Interface): string[] => i.addresses.filter((a) => familyOf(addrOf(a)) === 4 && isGlobal(addrOf(a)));

function nsFindings(idx: NetIndex, ns: string): Finding[] {
  const out: Finding[] = [];
  const ifaces = idx.ifacesOf(ns);
  const others = ifaces.filter((i) => i.kind !== 'loopback');
  const lo = ifaces.find((i) => i.kind === 'loopback');
  if (lo && !lo.up && others.length > 0) out.push(loopbackDown(idx, lo));
  for (const i of others) {
    const peer = i.peer ? idx.iface(i.peer) : undefined;
    if (!i.up && (globals4(i).length > 0 || peer?.up === true)) out.push(linkDown(idx, i));
    if (peer && i.id < peer.id) {
      const mine = globals4(i);
      const theirs = globals4(peer);
      if (mine.length > 0 && theirs.length > 0 && !mine.some((a) => theirs.some((b) => cidrHolds(networkOf(a), addrOf(b)) || cidrHolds(networkOf(b), addrOf(a))))) {
        out.push(
          finding('wrong-subnet', ns, `The two ends of the veth pair ${i.name} (${mine.join(', ')}) and ${peer.name} in ${nsName(idx, peer.ns)} (${theirs.join(', ')}) are in different subnets: neither can reach the other directly.`, null, {
            severity: 'warning',
            iface: i.id,
            manual: 'give both ends addresses in one subnet (netloom: addr.add / addr.delete)',
          }),
        );
      }
    }
  }
  const v4 = others.filter((i) => i.up).flatMap(globals4);
  if (v4.length > 0 && !hasDefaultRoute(idx, ns, 4)) {
    const gw = gatewayFor(idx, ns, 4);
    out.push(
      finding('no-default-route', ns, `${nsName(idx, ns)} has no default route: it reaches only its directly connected subnets.`, gw ? routeVia(idx, ns, 'default', gw.ip) : null, {
        severity: 'warning',
        ...(gw ? {} : { manual: 'add a default route via a router on one of its links (netloom: route.add)' }),
      }),
    );
  }
  const n = idx.ns(ns);
  const usedAsGateway = idx.snapshot.routes.some((r) => r.ns !== ns && r.gateway !== null && idx.holders(r.gateway).some((h) => h.ns === ns));
  if (n?.ipForward === false && usedAsGateway) {
    out.push(finding('forwarding-off', ns, `Other namespaces route through ${nsName(idx, ns)}, but forwarding is off there (net.ipv4.ip_forward=0): it drops whatever is not for itself.`, forwardingOn(idx, ns)));
  }
  if (n?.ipForward === true) out.push(...routerFindings(idx, ns));
  return out;
}

/** A namespace that forwards: a FORWARD policy DROP with nothing accepted, private subnets leaving without MASQUERADE. */
function routerFindings(idx: NetIndex, ns: string): Finding[] {
  const out: Finding[] = [];
  const fw = idx.fw(ns);
  for (const b of [...fw.baseChains('forward', 4), ...fw.baseChains('forward', 6)]) {
    if (b.policy !== 'drop' || fw.rules(b.ref, b.chain).length > 0 || b.type !== 'filter') continue;
    const name = b.ref.backend === 'nftables' ? `the nftables chain ${b.ref.family} ${b.ref.table} ${b.chain} has policy drop` : `its FORWARD policy is DROP${b.ref.family === 'ip6' ? ' (ip6tables)' : ''}`;
    const decidedBy = { kind: 'policy' as const, ns, table: b.ref.table, chain: b.chain, policy: b.ref.backend === 'nftables' ? 'drop' : 'DROP', backend: b.ref.backend, family: b.ref.family };
    if (out.some((f) => f.message.includes(name))) continue;
    out.push(finding('forward-drop', ns, `${nsName(idx, ns)} forwards, but ${name} and no rule there accepts anything: nothing gets through it.`, null, { severity: 'warning', decidedBy, manual: 'explain a path through it to get a fix for that traffic' }));
  }
  const uplinkRoute = idx.routesOf(ns).find((r) => r.dst === 'default' && r.dev !== null && (r.family ?? 4) === 4);
  const uplink = uplinkRoute?.dev ? idx.iface(uplinkRoute.dev) : undefined;
  if (!uplink) return out;
  const covered = (subnet: string): boolean => sourceNats(idx, ns).some((from) => from.length === 0 || from.some((c) => cidrHolds(c, addrOf(subnet))));
  for (const i of idx.ifacesOf(ns)) {
    if (i.id === uplink.id || i.kind === 'loopback' || !i.up) continue;
    for (const a of globals4(i)) {
      const subnet = networkOf(a);
      if (!isPrivate4(addrOf(a)) || covered(subnet) || globals4(uplink).some((u) => cidrHolds(subnet, addrOf(u)))) continue;
      out.push(finding('no-masquerade', ns, `${nsName(idx, ns)} forwards ${subnet} (on ${i.name}) out of ${uplink.name} without MASQUERADE or SNAT: replies to those private addresses will not find their way back.`, masquerade(idx, ns, subnet, uplink.name), { severity: 'warning', iface: i.id }));
    }
  }
  return out;
}

/** Every MASQUERADE/SNAT rule of every source in `ns`, as the source prefixes it is limited to (none: any). */
function sourceNats(idx: NetIndex, ns: string): string[][] {
  const fw = idx.fw(ns);
  return idx.snapshot.rules
    .filter((r) => r.ns === ns)
    .flatMap((r) => {
      const f = fw.form(r);
      if (f.verdict?.kind !== 'masquerade' && f.verdict?.kind !== 'snat') return [];
      const from = f.matches.flatMap((m) => (m.kind === 'cmp' && !m.negated && m.keys.length === 1 && m.keys[0] === 'saddr' ? m.elements.flatMap((e) => (e.kind === 'prefix' || e.kind === 'value' ? [e.value] : [])) : []));
      return [from];
    });
}

function runtimeFindings(idx: NetIndex): Finding[] {
  return (idx.snapshot.runtimeNetworks ?? [])
    .filter((n) => n.options['com.docker.network.bridge.enable_icc'] === 'false')
    .map((n) =>
      finding('docker-icc', idx.host?.id ?? null, `The Docker network ${n.name}${n.bridgeName ? ` (bridge ${n.bridgeName})` : ''} has inter-container communication off (icc=false): its containers cannot reach each other, only the outside and published ports.`, null, {
        severity: 'info',
        iface: n.bridge,
        manual: 'recreate the network with -o com.docker.network.bridge.enable_icc=true if its containers must talk',
      }),
    );
}

/** A port mapping whose host port a process also holds (docker-proxy, which serves the mapping itself, aside). */
function takenPorts(idx: NetIndex, listening: Listening | undefined): Finding[] {
  const host = idx.host;
  if (!host || !listening) return [];
  return idx.snapshot.portMappings
    .filter((m) => m.ns === host.id && (m.proto === 'tcp' || m.proto === 'udp') && (m.proxyPids?.length ?? 0) === 0 && listening(host.id, m.proto, m.hostPort) === true)
    .map((m) =>
      finding('host-port-taken', host.id, `${m.proto} port ${m.hostPort} is mapped to ${m.targetIp}:${m.targetPort ?? m.hostPort}, and a process on the host listens on it too: other hosts reach the mapping, the host itself${m.localAccess ? ' also reaches the mapping, and the process gets nothing' : ' reaches the process'}.`, null, {
        severity: 'warning',
        decidedBy: { kind: 'portMapping', ns: host.id, proto: m.proto, hostPort: m.hostPort },
        manual: `see who holds it: ss -${m.proto === 'tcp' ? 't' : 'u'}lnp 'sport = :${m.hostPort}'`,
      }),
    );
}


export function explainHealth(snapshot: Snapshot, inputs: { listening?: Listening } = {}): HealthResult {
  const idx = indexSnapshot(snapshot);
  const groups = snapshot.namespaces.map((n) => ({ ns: n.id, label: nsName(idx, n.id), findings: nsFindings(idx, n.id) }));
  const host = groups.find((g) => g.ns === idx.host?.id);
  if (host) host.findings.push(...runtimeFindings(idx), ...takenPorts(idx, inputs.listening));
  return { groups, takenAt: snapshot.takenAt };
}
