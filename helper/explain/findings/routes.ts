import type { Finding } from '../../../protocol/src/explain.js';
import type { Packet } from '../packet.js';
import { addAddress, farAddresses, freeAddressIn, gatewayFor, masquerade, routeVia, subnetOf } from '../fixes.js';
import { addrOf, cidrHolds, familyOf, isGlobal, networkOf } from '../../net/ip-addr.js';
import { nsName } from '../net-index.js';
import { hasDefaultRoute } from '../route-lookup.js';
import type { FindingContext } from './context.js';
import { finding } from './context.js';
import { linkDown } from './links.js';

/** The router that forwarded the request out of an interface without rewriting its source. */
export function unmaskedRouter(c: FindingContext): { ns: string; outDev: string; src: string } | null {
  const forwards = c.request.hops.filter((h) => h.stage === 'forward' && h.verdict === 'pass' && h.outIface !== null);
  const last = forwards[forwards.length - 1];
  if (!last || last.outIface === null) return null;
  const snat = c.request.translations.some((x) => x.kind === 'snat' && x.ns === last.ns);
  if (snat) return null;
  const dev = c.idx.iface(last.outIface);
  return dev ? { ns: last.ns, outDev: dev.name, src: last.src.replace(/:\d+$/, '') } : null;
}

export function noMasquerade(c: FindingContext, router: { ns: string; outDev: string; src: string }, where: string): Finding {
  const source = subnetOf(c.idx, router.src);
  return finding(
    'no-masquerade',
    router.ns,
    `${nsName(c.idx, router.ns)} forwards ${source} out of ${router.outDev} without rewriting the source (no MASQUERADE/SNAT), and ${where} has no route back to ${router.src}: the replies never return.`,
    masquerade(c.idx, router.ns, source, router.outDev),
  );
}

/** No route for `pkt.dst` in `ns`: a link down, no default route, no route back, or simply no route. */
export function noRoute(c: FindingContext, ns: string, pkt: Packet, dir: 'request' | 'response'): Finding[] {
  const down = c.idx.ifacesOf(ns).filter((i) => !i.up && i.kind !== 'loopback' && i.addresses.some((a) => !a.startsWith('fe80')));
  if (down.length > 0) return down.map((i) => linkDown(c.idx, i));
  const misplaced = wrongSubnet(c, ns, pkt.dst);
  if (misplaced) return [misplaced];
  const out: Finding[] = [];
  const gw = gatewayFor(c.idx, ns, pkt.family);
  if (dir === 'response') {
    const router = unmaskedRouter(c);
    if (router && router.ns !== ns) out.push(noMasquerade(c, router, nsName(c.idx, ns)));
    const back = subnetOf(c.idx, pkt.dst);
    out.push(
      finding(
        'no-route-back',
        ns,
        `The reply cannot find its way: ${nsName(c.idx, ns)} has no route back to ${pkt.dst}.`,
        gw ? routeVia(c.idx, ns, back, gw.ip) : null,
        { severity: out.length > 0 ? 'warning' : 'error', ...(gw ? {} : { manual: `add a route to ${back} in ${nsName(c.idx, ns)}` }) },
      ),
    );
    return out;
  }
  if (!hasDefaultRoute(c.idx, ns, pkt.family)) {
    return [
      finding(
        'no-default-route',
        ns,
        `${nsName(c.idx, ns)} has no default route, so it reaches only its directly connected subnets; ${pkt.dst} is not one of them.`,
        gw ? routeVia(c.idx, ns, 'default', gw.ip) : null,
        gw ? {} : { manual: `add a default route in ${nsName(c.idx, ns)} via a router on one of its links (netloom: route.add)` },
      ),
    ];
  }
  return [finding('no-route', ns, `${nsName(c.idx, ns)} has no route to ${pkt.dst}.`, null, { manual: `add a route to ${pkt.dst} (netloom: route.add)` })];
}

/**
 * The far end of one of the namespace's links holds (or sits in the subnet of) the destination,
 * but the namespace's own address on that link is in another subnet: it has no on-link route.
 */
function wrongSubnet(c: FindingContext, ns: string, dst: string): Finding | null {
  for (const i of c.idx.ifacesOf(ns)) {
    if (i.kind === 'loopback' || !i.up) continue;
    const mine = i.addresses.filter((a) => familyOf(addrOf(a)) === 4 && isGlobal(addrOf(a)));
    for (const far of farAddresses(c.idx, i)) {
      const cidr = c.idx.iface(c.idx.holders(far.ip).find((h) => h.ns === far.ns)?.iface.id ?? '')?.addresses.find((a) => addrOf(a) === far.ip);
      if (!cidr || familyOf(far.ip) !== 4 || !cidrHolds(networkOf(cidr), dst) || mine.some((a) => cidrHolds(networkOf(cidr), addrOf(a)))) continue;
      const free = freeAddressIn(c.idx, networkOf(cidr));
      return finding(
        'wrong-subnet',
        ns,
        `${i.name} in ${nsName(c.idx, ns)} has ${mine.join(', ') || 'no IPv4 address'}, but the far end (${far.ip} in ${nsName(c.idx, far.ns)}) is in ${networkOf(cidr)}: the two ends are in different subnets, so ${nsName(c.idx, ns)} has no route to ${dst}.`,
        free ? addAddress(c.idx, i, free) : null,
        { iface: i.id, ...(free ? {} : { manual: `give ${i.name} an address in ${networkOf(cidr)}` }) },
      );
    }
  }
  return null;
}
