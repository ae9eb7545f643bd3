import { lookupRoute } from './route-lookup.js';
import { nsName } from './net-index.js';
import type { Packet } from './packet.js';
import type { Tracer } from './tracer.js';
import { addHop, ifName } from './tracer.js';

/**
 * Reverse-path filtering (IPv4 rp_filter), as fib_validate_source does it: the namespace looks up
 * the way back to the packet's source (from the loopback, mark 0). Strict (1): that way must leave
 * by the interface the packet came in on; loose (2): some unicast way back must exist. The kernel
 * uses the larger of conf/all and the interface's value. true when the packet goes on.
 */
export function rpFilterCheck(t: Tracer, ns: string, inId: string, pkt: Packet): boolean {
  if (pkt.family !== 4) return true;
  const s = t.idx.ns(ns)?.sysctls;
  const name = ifName(t, inId) ?? '';
  if (s === undefined) return true; // not read: as before, not judged
  const mode = Math.max(s.rpFilter.all ?? 0, s.rpFilter.byIface[name] ?? 0);
  if (mode !== 1 && mode !== 2) return true;
  const back = lookupRoute(t.idx, ns, pkt.src, { src: pkt.dst, iif: 'lo', mark: 0 });
  const setting = { kind: 'setting' as const, ns, name: `net.ipv4.conf.${s.rpFilter.byIface[name] === mode ? name : 'all'}.rp_filter`, value: String(mode) };
  if (back.kind === 'unknown') {
    addHop(t, 'route', ns, { in: inId }, pkt, 'unknown', `rp_filter=${mode} on ${name}: netloom cannot tell the way back to ${pkt.src} (${back.why})`, setting);
    return true;
  }
  const backDev = back.kind === 'unicast' ? back.dev : null;
  const ok = mode === 1 ? backDev === inId : backDev !== null;
  if (ok) return true;
  const why =
    backDev === null
      ? `${nsName(t.idx, ns)} has no way back to ${pkt.src}`
      : `the way back to ${pkt.src} leaves by ${ifName(t, backDev)}, not by ${name} where it came in`;
  addHop(t, 'route', ns, { in: inId }, pkt, 'drop', `reverse-path filter (rp_filter=${mode}, ${mode === 1 ? 'strict' : 'loose'}) drops it: ${why}`, setting);
  t.blockers.push({ kind: 'rp-filter', ns, pkt: { ...pkt }, inId, mode, back: backDev });
  return false;
}
