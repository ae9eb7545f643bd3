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
import { ipRuleText } from '../route-lookup.js';

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
    case 'not-bound':
      return [
        finding('listener-bound', b.ns, `Something in ${nsName(c.idx, b.ns)} listens on ${b.pkt.proto} port ${b.pkt.dport}, but bound to ${b.boundTo.join(', ')} — not to ${b.pkt.dst}, the address this packet is for: the connection is refused.`, null, {
          manual: `bind the server to 0.0.0.0 (every address) or to ${b.pkt.dst}, or connect to ${b.boundTo[0] ?? 'the address it is bound to'}`,
        }),
      ];
    case 'rp-filter': {
      const dev = c.idx.iface(b.inId)?.name ?? b.inId;
      const back = b.back === null ? 'it has no route back to that source' : `its route back to ${b.pkt.src} leaves by ${c.idx.iface(b.back)?.name ?? b.back}`;
      return [
        finding('rp-filter', b.ns, `${nsName(c.idx, b.ns)} drops packets from ${b.pkt.src} arriving on ${dev}: reverse-path filtering is on (rp_filter=${b.mode}, ${b.mode === 1 ? 'strict' : 'loose'}) and ${back}.`, null, {
          decidedBy: { kind: 'setting', ns: b.ns, name: 'rp_filter', value: String(b.mode) },
          manual: b.mode === 1 ? `make the way back symmetric (a route to ${b.pkt.src} via ${dev}), or relax the filter: sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.${dev}.rp_filter=2` : `add a route back to ${b.pkt.src}`,
        }),
      ];
    }
    case 'route-localnet': {
      const dev = c.idx.iface(b.dev)?.name ?? b.dev;
      return [
        finding('route-localnet', b.ns, `${b.orig} is translated to ${b.pkt.dst}, but the kernel never routes a packet from or to 127.0.0.0/8 off the loopback unless route_localnet is on (it is off for ${dev} and for all).`, null, {
          decidedBy: { kind: 'setting', ns: b.ns, name: 'net.ipv4.conf.all.route_localnet', value: '0' },
          manual: `sysctl -w net.ipv4.conf.${dev}.route_localnet=1 (and MASQUERADE 127.0.0.0/8 towards ${b.pkt.dst}), or use the host's own address instead of 127.0.0.1`,
        }),
      ];
    }
    case 'policy-route': {
      const refused = b.decider?.kind === 'ipRule' || c.request.hops.concat(c.response?.hops ?? []).some((h) => h.ns === b.ns && h.stage === 'route' && h.verdict === 'drop' && h.text.includes(`${b.rule.priority}:`));
      return [
        finding('policy-routing', b.ns, `Policy routing decides here: rule ${ipRuleText(b.rule)} in ${nsName(c.idx, b.ns)} ${refused ? `refuses the packet to ${b.pkt.dst}` : `routes the packet to ${b.pkt.dst} by table ${b.rule.table}, not by the main table`}.`, null, {
          severity: refused ? 'error' : 'info',
          decidedBy: b.decider,
          manual: `ip rule show${c.idx.ns(b.ns)?.kind === 'host' ? '' : ` (inside ${nsName(c.idx, b.ns)})`} lists the rules; change or delete rule ${b.rule.priority} (ip rule del priority ${b.rule.priority}) or the routes of table ${b.rule.table ?? ''}`.trim(),
        }),
      ];
    }
    case 'nat-skipped': {
      const where = nsName(c.idx, b.ns);
      return [
        finding(
          'nat-skipped',
          b.ns,
          `${where} sees this connection twice: first bridged between two of its bridge ports (br_netfilter hands bridged frames to iptables and conntrack), then routed. conntrack fixes a connection's ${b.manip === 'src' ? 'source' : 'destination'} NAT the first time it meets it — none, on the bridged pass — so "${b.rule.spec}" never applies and the ${b.manip === 'src' ? 'replies cannot find their way back' : 'packet is not redirected'}.`,
          null,
          {
            decidedBy: { kind: 'rule', ns: b.ns, table: b.rule.table, chain: b.rule.chain, spec: b.rule.spec, ...(b.rule.backend ? { backend: b.rule.backend } : {}) },
            manual: `route the sender straight through ${where} rather than via a gateway on the same bridge, or stop bridged traffic from reaching iptables (sysctl -w net.bridge.bridge-nf-call-iptables=0 — Docker needs it on), or give each bridge port its own conntrack zone`,
          },
        ),
      ];
    }
    case 'unread':
      return [
        finding('firewall-unread', b.ns, `Part of ${nsName(c.idx, b.ns)}'s firewall could not be read (${b.why.join('; ')}), so netloom cannot say whether it lets this packet through.`, null, {
          severity: 'warning',
          manual: 'install the missing tool (nftables, iptables) on this host, or run netloom as root',
        }),
      ];
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
  const skipped = c.request.blockers.some((b) => b.kind === 'nat-skipped');
  const all = [
    ...c.request.blockers.flatMap((b) => ofBlocker(c, b, 'request')),
    ...hostPortFindings(c),
    ...(c.response?.blockers ?? []).flatMap((b) => ofBlocker(c, b, 'response')),
  ].filter((f) => !(skipped && (f.code === 'no-masquerade' || f.code === 'no-route-back')));
  const seen = new Set<string>();
  return all.filter((f) => {
    const key = `${f.code}|${f.ns}|${f.iface}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
