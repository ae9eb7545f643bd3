import type { Exec } from '../exec.js';
import { mapBounded } from './bounded.js';
import { programIn, type NsTarget } from './ns-target.js';
import type { ParsedLink } from './ip-link.js';
import type { NamespaceState } from './read-namespace.js';
import { tunnelFromIpJson } from './tunnel-info.js';

/**
 * WireGuard peers (issue 14): `wg show all dump` in every namespace holding a WireGuard device
 * (few do) — each peer's endpoint (the far host's underlay address, which tunnel-edges.ts joins
 * to the device there), its allowed IPs and its latest handshake. The dump prints the device's
 * private key and each peer's preshared key too: they are dropped here, on the line they come
 * in, and never kept, logged or sent. Without `wg` (wireguard-tools) the peers are simply not
 * shown: the device is still drawn, as before.
 *
 * Userspace WireGuard (wireguard-go, boringtun — what hosts without the kernel module run) makes a
 * plain `tun` device and answers wg on /var/run/wireguard/NAME.sock; a tun device wg names is
 * WireGuard too. Those sockets belong to the mount namespace, not the network one: wg run for one
 * network namespace also lists the userspace devices of every other one sharing its /run, so only
 * devices this namespace holds count (a same-named tun elsewhere is the one case this can confuse).
 */
export interface WgPeer {
  dev: string;
  publicKey: string;
  /** `addr:port` / `[v6]:port`, or null when the peer has not been heard from and has none set. */
  endpoint: string | null;
  allowedIps: string[];
  /** Unix seconds of the last handshake, null for never. */
  latestHandshake: number | null;
}

const none = (v: string | undefined): string | null => (v === undefined || v === '(none)' || v === '' ? null : v);

/** Peer lines only (nine fields); device lines (five, with the private key) are skipped unread. */
export function parseWgDump(text: string): WgPeer[] {
  const peers: WgPeer[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length !== 9) continue;
    const [dev, publicKey, , endpoint, allowed, handshake] = f;
    if (dev === undefined || dev === '' || publicKey === undefined || publicKey === '') continue;
    const seconds = Number(handshake);
    peers.push({
      dev,
      publicKey,
      endpoint: none(endpoint),
      allowedIps: none(allowed)?.split(',').filter((a) => a !== '') ?? [],
      latestHandshake: Number.isInteger(seconds) && seconds > 0 ? seconds : null,
    });
  }
  return peers;
}

/** Device lines (five fields): the device's name only — the private key beside it is never read. */
export function parseWgDevices(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length === 5 && f[0] !== undefined && f[0] !== '') out.add(f[0]);
  }
  return out;
}

const userspaceCandidate = (l: ParsedLink): boolean => l.linkKind === 'tun' && l.tunnel === null;

/** The namespace with wg's answer: its userspace WireGuard tun devices marked, the peers of its own devices. */
export function withDump(s: NamespaceState, dump: string): NamespaceState {
  const userspace = parseWgDevices(dump);
  const links = s.links.map((l) => (userspaceCandidate(l) && userspace.has(l.name) ? { ...l, tunnel: tunnelFromIpJson('wireguard', undefined) } : l));
  const mine = new Set(links.filter((l) => l.tunnel?.type === 'wireguard').map((l) => l.name));
  return { ...s, links, wgPeers: parseWgDump(dump).filter((p) => mine.has(p.dev)) };
}

export async function withWireGuard(exec: Exec, states: NamespaceState[], targets: NsTarget[], concurrency: number, signal?: AbortSignal): Promise<NamespaceState[]> {
  const targetOf = new Map(targets.map((t) => [t.id, t]));
  return await mapBounded(states, concurrency, async (s) => {
    const t = targetOf.get(s.id);
    if (t === undefined || !s.links.some((l) => l.linkKind === 'wireguard' || userspaceCandidate(l))) return s;
    try {
      const r = await exec.run(programIn(t, ['wg', 'show', 'all', 'dump']), { signal, timeoutMs: 5000, allowFailure: true });
      return r.exitCode === 0 ? withDump(s, r.stdout) : s;
    } catch {
      return s;
    }
  });
}
