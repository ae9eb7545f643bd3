import type { Finding } from '../../../protocol/src/explain.js';
import { forwardingOn } from '../fixes.js';
import { nsName } from '../net-index.js';
import type { Blocker } from '../tracer.js';
import type { FindingContext } from './context.js';
import { finding } from './context.js';
import { filterFinding } from './filter.js';
import { linkDown, loopbackDown, noNeighbour } from './links.js';
import { hairpin, noDnat, preroutingOnly } from './nat.js';
import { noRoute } from './routes.js';

/** Where a trace stopped → what is wrong, in plain words, with a fix where one is safe. */
function ofBlocker(c: FindingContext, b: Blocker, dir: 'request' | 'response'): Finding[] {
  switch (b.kind) {
    case 'no-route':
      return noRoute(c, b.ns, b.pkt, dir);
    case 'route-refused':
      return [finding('no-route', b.ns, `${nsName(c.idx, b.ns)} refuses to route to ${b.pkt.dst}: ${b.decider.kind === 'route' ? b.decider.text : 'a blackhole route'}.`, null, { decidedBy: b.decider, manual: 'remove that route (netloom: route.delete)' })];
    case 'lo-down':
      return [loopbackDown(c.idx, b.lo)];
    case 'link-down':
      return [linkDown(c.idx, b.iface)];
    case 'forwarding-off':
      return [
        finding('forwarding-off', b.ns, `${nsName(c.idx, b.ns)} would have to route this packet from one interface to another, but forwarding is off there (net.ipv4.ip_forward=0).`, forwardingOn(c.idx, b.ns), {
          decidedBy: { kind: 'setting', ns: b.ns, name: 'net.ipv4.ip_forward', value: '0' },
        }),
      ];
    case 'filter':
      return [filterFinding(c, b, dir)];
    case 'no-neighbour':
      return [noNeighbour(c.idx, b.dev, b.nexthop)];
    case 'not-listening':
      return [];
    case 'martian': {
      const h = hairpin(c.idx, c.request, c.src);
      return [h ?? finding('no-masquerade', b.ns, `A packet comes back into ${nsName(c.idx, b.ns)} from its own address ${b.pkt.src}; the kernel drops it. Something sends its traffic back to it without rewriting the source.`, null, { manual: 'MASQUERADE the hairpin where the packet turns around' })];
    }
  }
}

/** A host port the request reached without a DNAT: unmapped, or mapped for other hosts only. */
function hostPortFindings(c: FindingContext): Finding[] {
  const host = c.idx.host;
  const port = c.dst.hostPort;
  if (!host || port === undefined || c.proto === 'icmp') return [];
  const dnatted = c.request.hops.some((h) => h.ns === host.id && /DNAT|REDIRECT/.test(h.text) && h.stage !== 'conntrack');
  if (dnatted) return [];
  const delivered = c.request.hops.some((h) => h.stage === 'deliver' && h.ns === host.id);
  if (!delivered) return [];
  const proto = c.proto;
  const covers = (m: { ns: string; proto: string; hostPort: number; hostPortEnd?: number | undefined }): boolean => m.ns === host.id && m.proto === proto && port >= m.hostPort && port <= (m.hostPortEnd ?? m.hostPort);
  // docker-proxy listens on the host port and forwards: no DNAT is needed on this path.
  if (c.idx.snapshot.portMappings.some((m) => covers(m) && (m.proxyPids?.length ?? 0) > 0)) return [];
  const localOnly = c.idx.snapshot.portMappings.find((m) => m.ns === host.id && m.proto === proto && port >= m.hostPort && port <= (m.hostPortEnd ?? m.hostPort) && !m.localAccess);
  if (c.src.ns === host.id && localOnly) return [preroutingOnly(c, localOnly, port)];
  return noDnat(c, proto, port);
}

export function collectFindings(c: FindingContext): Finding[] {
  const all = [
    ...c.request.blockers.flatMap((b) => ofBlocker(c, b, 'request')),
    ...hostPortFindings(c),
    ...(c.response?.blockers ?? []).flatMap((b) => ofBlocker(c, b, 'response')),
  ];
  const seen = new Set<string>();
  return all.filter((f) => {
    const key = `${f.code}|${f.ns}|${f.iface}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
