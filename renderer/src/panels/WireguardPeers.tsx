import type { TunnelInfo } from '../../../protocol/src/index.js';

type Peer = NonNullable<TunnelInfo['peers']>[number];

/** "3 min ago", "never": how fresh a WireGuard peer's last handshake is (a dead peer shows here first). */
export function handshakeAge(latest: number | null | undefined, nowSeconds: number): string {
  if (latest === null || latest === undefined || latest === 0) return 'never';
  const s = Math.max(0, nowSeconds - latest);
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** Each peer of a WireGuard device: its key (short), where it is reached, what it may send, its last handshake. */
export function WireguardPeers({ peers, now = Date.now() / 1000 }: { peers: readonly Peer[]; now?: number }) {
  return (
    <ul className="mono-list" aria-label="wireguard peers">
      {peers.map((p) => (
        <li key={p.publicKey}>
          <span title={p.publicKey}>{p.publicKey.slice(0, 8)}…</span> at {p.endpoint ?? 'no endpoint (it calls in)'} · allowed {p.allowedIps.length ? p.allowedIps.join(', ') : 'nothing'} · handshake {handshakeAge(p.latestHandshake, Math.round(now))}
        </li>
      ))}
    </ul>
  );
}
