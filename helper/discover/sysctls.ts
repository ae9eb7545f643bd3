import type { NetSysctls } from '../../protocol/src/firewall.js';

/**
 * "NAME KEY VALUE" lines (netloom-nsread's sysctl record, or the ip path's reading of
 * /proc/sys/net/ipv4/conf) → rp_filter and route_localnet of conf/all and each interface.
 * conf/default only seeds interfaces created later; the kernel never consults it for a packet.
 */
export function parseSysctls(text: string): NetSysctls {
  const out: NetSysctls = { rpFilter: { all: null, byIface: {} }, routeLocalnet: { all: null, byIface: {} } };
  for (const line of text.split('\n')) {
    const [name, key, value] = line.trim().split(/\s+/);
    const n = Number(value);
    if (name === undefined || name === 'default' || !Number.isInteger(n)) continue;
    if (key === 'rp_filter') {
      if (name === 'all') out.rpFilter.all = n;
      else out.rpFilter.byIface[name] = n;
    } else if (key === 'route_localnet') {
      if (name === 'all') out.routeLocalnet.all = n !== 0;
      else out.routeLocalnet.byIface[name] = n !== 0;
    }
  }
  return out;
}
