import type { Exec } from '../exec.js';
import { mapBounded } from './bounded.js';
import { programIn, type NsTarget } from './ns-target.js';
import type { NamespaceState } from './read-namespace.js';

/**
 * WireGuard peers (issue 14): `wg show all dump` in every namespace holding a WireGuard device
 * (few do) — each peer's endpoint (the far host's underlay address, which tunnel-edges.ts joins
 * to the device there), its allowed IPs and its latest handshake. The dump prints the device's
 * private key and each peer's preshared key too: they are dropped here, on the line they come
 * in, and never kept, logged or sent. Without `wg` (wireguard-tools) the peers are simply not
 * shown: the device is still drawn, as before.
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

export async function withWireGuard(exec: Exec, states: NamespaceState[], targets: NsTarget[], concurrency: number, signal?: AbortSignal): Promise<NamespaceState[]> {
  const targetOf = new Map(targets.map((t) => [t.id, t]));
  return await mapBounded(states, concurrency, async (s) => {
    const t = targetOf.get(s.id);
    if (t === undefined || !s.links.some((l) => l.linkKind === 'wireguard')) return s;
    try {
      const r = await exec.run(programIn(t, ['wg', 'show', 'all', 'dump']), { signal, timeoutMs: 5000, allowFailure: true });
      return r.exitCode === 0 ? { ...s, wgPeers: parseWgDump(r.stdout) } : s;
    } catch {
      return s;
    }
  });
}
