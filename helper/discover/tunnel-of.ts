import type { Interface } from '../../protocol/src/snapshot.js';
import type { ParsedLink } from './ip-link.js';
import type { FdbEntry } from './read-fdb.js';
import type { WgPeer } from './read-wireguard.js';
import { tunnelRole } from './tunnel-info.js';

/** The tunnel as the snapshot shows it: with a VXLAN's fdb far ends, a WireGuard device's peers, and what made it. */
export function tunnelOf(l: ParsedLink, fdb: FdbEntry[] | undefined, wg: WgPeer[] | undefined, nsName: string | null): Interface['tunnel'] {
  if (l.tunnel === null) return undefined;
  const entries = (fdb ?? []).filter((e) => e.dev === l.name && e.dst !== l.tunnel?.remote && e.dst !== l.tunnel?.group);
  const peers = l.tunnel.type === 'wireguard' && wg !== undefined ? wg.filter((p) => p.dev === l.name).map(({ publicKey, endpoint, allowedIps, latestHandshake }) => ({ publicKey, endpoint, allowedIps, latestHandshake })) : null;
  return { ...l.tunnel, ...(entries.length > 0 ? { fdb: entries.map((e) => ({ mac: e.mac, dst: e.dst })) } : {}), ...(peers !== null ? { peers } : {}), role: tunnelRole(l.name, nsName) };
}
