import type { Finding } from '../../../protocol/src/explain.js';
import type { Intent } from '../../../protocol/src/intents.js';
import type { PortMapping } from '../../../protocol/src/snapshot.js';
import { firstGlobal } from '../endpoints.js';
import { masquerade, portmap, subnetOf } from '../fixes.js';
import { isPrivate4 } from '../../net/ip-addr.js';
import type { Endpoint } from '../endpoints.js';
import type { NetIndex } from '../net-index.js';
import { nsName, nsRef } from '../net-index.js';
import type { Tracer } from '../tracer.js';
import { lookupRoute } from '../route-lookup.js';
import type { FindingContext } from './context.js';
import { finding } from './context.js';

/**
 * Port mappings: a host port nobody maps (no DNAT), a mapping only other hosts can use (DNAT
 * in PREROUTING but not OUTPUT), a host port a process already holds.
 */

/** Namespaces a host port could be mapped to: reachable from the host, not the client's own — listening ones first. */
function mappingTargets(c: FindingContext, proto: 'tcp' | 'udp', port: number): { ns: string; ip: string }[] {
  const host = c.idx.host;
  if (!host) return [];
  const all = c.idx.snapshot.namespaces
    .filter((n) => n.id !== host.id && n.id !== c.src.ns)
    .flatMap((n) => {
      const ip = firstGlobal(c.idx, n.id, 4);
      return ip !== null && lookupRoute(c.idx, host.id, ip).kind === 'unicast' ? [{ ns: n.id, ip }] : [];
    });
  const listening = all.filter((t) => c.listening?.(t.ns, proto, port) === true);
  return listening.length > 0 ? listening : all;
}

export function hostPortTaken(c: FindingContext, proto: 'tcp' | 'udp', port: number): Finding | null {
  const host = c.idx.host;
  if (!host || c.listening?.(host.id, proto, port) !== true) return null;
  return finding(
    'host-port-taken',
    host.id,
    `A process on the host already listens on ${proto} port ${port}. A port mapping would take the traffic from other hosts away from it, and the host itself would still reach that process unless the mapping covers OUTPUT too.`,
    null,
    { severity: 'warning', manual: `see who holds it: ss -${proto === 'tcp' ? 't' : 'u'}lnp 'sport = :${port}'` },
  );
}

export function noDnat(c: FindingContext, proto: 'tcp' | 'udp', port: number): Finding[] {
  const host = c.idx.host;
  if (!host) return [];
  const targets = mappingTargets(c, proto, port);
  const only = targets.length === 1 ? targets[0] : undefined;
  const message = `Nothing maps ${proto} port ${port} of the host to a namespace (no DNAT rule in PREROUTING), so the packet is delivered to the host itself${c.listening?.(host.id, proto, port) === false ? ', where nothing listens' : ''}.`;
  // A process on the host answers: maybe that is what the user wants; then this is only a hint.
  const severity = c.listening?.(host.id, proto, port) === true ? 'warning' : 'error';
  const f = only
    ? finding('no-dnat', host.id, message, portmap(c.idx, host.id, proto, port, only.ip, port), { severity })
    : finding('no-dnat', host.id, message, null, {
        severity,
        manual: `map it to the server: netloom portmap.add {proto: ${proto}, hostPort: ${port}, targetIp: ${targets.map((t) => t.ip).join(' | ') || 'ADDRESS'}, targetPort: ${port}}`,
      });
  const taken = hostPortTaken(c, proto, port);
  return taken ? [f, taken] : [f];
}

export function preroutingOnly(c: FindingContext, m: PortMapping, port: number): Finding {
  const host = m.ns;
  const id = m.netloomId ?? undefined;
  const target = `${m.targetIp}:${m.targetPort ?? port}`;
  const message = `The mapping of ${m.proto} port ${m.hostPort} to ${target} is a DNAT in PREROUTING only: packets from other hosts take it, but the host's own packets pass OUTPUT, where nothing rewrites them, so the host cannot reach its own mapping.`;
  const by = { kind: 'portMapping' as const, ns: host, proto: m.proto, hostPort: m.hostPort };
  if (m.owner === 'netloom' && id !== undefined && m.proto !== 'sctp') {
    const ref = nsRef(c.idx, host);
    const intents: Intent[] = [
      { op: 'rule.remove', id, ...(ref ? { ns: ref } : {}) },
      {
        op: 'portmap.add',
        proto: m.proto,
        hostPort: m.hostPort,
        ...(m.hostPortEnd !== undefined ? { hostPortEnd: m.hostPortEnd } : {}),
        targetIp: m.targetIp,
        targetPort: m.targetPort ?? m.hostPort,
        ...(m.hostIp && m.hostIp !== '0.0.0.0' ? { hostIp: m.hostIp } : {}),
        localAccess: true,
        ...(ref ? { ns: ref } : {}),
      },
    ];
    return finding('dnat-prerouting-only', host, message, { summary: `re-make the mapping ${m.hostPort} → ${target} so the host reaches it too (DNAT in OUTPUT as well)`, intents }, { decidedBy: by });
  }
  return finding('dnat-prerouting-only', host, message, null, {
    decidedBy: by,
    manual: `add the same DNAT for the host's own packets: iptables -t nat -A OUTPUT -p ${m.proto} --dport ${m.hostPort} -m addrtype --dst-type LOCAL -j DNAT --to-destination ${target}`,
  });
}

/** A private source leaving the host for the internet without SNAT: nobody routes the replies back. */
export function privateSourceOut(c: FindingContext, ns: string, dev: string, src: string): Finding | null {
  if (!isPrivate4(src)) return null;
  const outDev = c.idx.iface(dev)?.name ?? dev;
  return finding('no-masquerade', ns, `${src} is a private address and leaves ${nsName(c.idx, ns)} by ${outDev} unchanged: the internet does not route replies back to it.`, masquerade(c.idx, ns, subnetOf(c.idx, src), outDev));
}

/**
 * A namespace reaching its own service through a host port: the DNAT sends the request straight
 * back into it, and without a MASQUERADE for that hairpin the reply goes out locally, from the
 * wrong address.
 */
export function hairpin(idx: NetIndex, request: Tracer, src: Endpoint): Finding | null {
  const dnat = request.translations.find((x) => x.kind === 'dnat' && x.now.ip === src.ip);
  const out = request.hops.filter((h) => h.ns === dnat?.ns && h.outIface !== null).at(-1)?.outIface;
  const dev = out ? idx.iface(out) : undefined;
  if (!dnat || !dev || src.ip === null) return null;
  return finding(
    'no-masquerade',
    dnat.ns,
    `${src.label} reaches its own service through the host's port mapping, but nothing masquerades that hairpin in ${nsName(idx, dnat.ns)}: the reply goes straight back inside ${src.label} from ${src.ip}, not from ${dnat.orig.ip}, and is dropped.`,
    masquerade(idx, dnat.ns, `${src.ip}/32`, dev.name),
  );
}
