import type { Interface } from '../../protocol/src/snapshot.js';
import { endpointAddress } from '../../protocol/src/tunnels.js';
import { cidrContains, parseCidr4 } from '../discover/ipv4-match.js';
import type { Packet } from './packet.js';
import type { Tracer } from './tracer.js';
import { addHop } from './tracer.js';

/**
 * WireGuard as hops (issue 14): cryptokey routing. Out of a WireGuard device a packet goes to the
 * peer whose allowed IPs hold its destination (longest prefix over all peers) — none, and
 * WireGuard drops it; into one, it is accepted only when its source is among the allowed IPs of
 * the peer it came from. Peers not read (no `wg`): unknown, never a guess.
 */
type Peer = NonNullable<NonNullable<Interface['tunnel']>['peers']>[number];

export function peerFor(peers: Peer[], ip: string): Peer | null {
  let best: { peer: Peer; bits: number } | null = null;
  for (const peer of peers) {
    for (const cidr of peer.allowedIps) {
      const bits = parseCidr4(cidr)?.bits;
      if (bits !== undefined && cidrContains(cidr, ip) && (best === null || bits > best.bits)) best = { peer, bits };
    }
  }
  return best?.peer ?? null;
}

const short = (key: string): string => `${key.slice(0, 8)}…`;
const allowedOf = (peers: Peer[]): string => peers.flatMap((p) => p.allowedIps).join(', ') || 'nothing';

/** Leaving by `dev`: pass (to the peer's endpoint), drop, or unknown. Returns whether it left. */
export function intoWireGuard(t: Tracer, ns: string, dev: Interface, pkt: Packet): boolean {
  const peers = dev.tunnel?.peers;
  if (peers === undefined) {
    addHop(t, 'uplink', ns, { out: dev.id }, pkt, 'unknown', `${dev.name} is WireGuard, but its peers could not be read (is wireguard-tools' wg installed there?): which peer, if any, takes ${pkt.dst} is not known`);
    return false;
  }
  const peer = peerFor(peers, pkt.dst);
  if (peer === null) {
    addHop(t, 'uplink', ns, { out: dev.id }, pkt, 'drop', `WireGuard drops it: no peer of ${dev.name} has ${pkt.dst} in its allowed IPs (they allow ${allowedOf(peers)})`);
    return false;
  }
  if (peer.endpoint === null) {
    addHop(t, 'uplink', ns, { out: dev.id }, pkt, 'drop', `WireGuard drops it: peer ${short(peer.publicKey)} of ${dev.name} takes ${pkt.dst} but has no endpoint to send to (none set, never heard from)`);
    return false;
  }
  addHop(t, 'uplink', ns, { out: dev.id }, pkt, 'pass', `encrypted by ${dev.name} (WireGuard) for peer ${short(peer.publicKey)}, sent to ${peer.endpoint} (${endpointAddress(peer.endpoint)}): ${pkt.dst} is in its allowed IPs`);
  return true;
}

/** Arriving by `dev`: whether WireGuard lets the decrypted packet in (its source among the sending peer's allowed IPs). */
export function fromWireGuard(t: Tracer, dev: Interface, pkt: Packet): boolean {
  const peers = dev.tunnel?.peers;
  if (peers === undefined) {
    addHop(t, 'uplink', dev.ns, { in: dev.id }, pkt, 'unknown', `${dev.name} is WireGuard, but its peers could not be read: whether it accepts ${pkt.src} is not known`);
    return false;
  }
  const peer = peerFor(peers, pkt.src);
  if (peer === null) {
    addHop(t, 'uplink', dev.ns, { in: dev.id }, pkt, 'drop', `WireGuard drops it on arrival: ${pkt.src} is in no peer's allowed IPs on ${dev.name} (they allow ${allowedOf(peers)})`);
    return false;
  }
  addHop(t, 'uplink', dev.ns, { in: dev.id }, pkt, 'pass', `decrypted by ${dev.name} (WireGuard) from peer ${short(peer.publicKey)}: ${pkt.src} is in its allowed IPs`);
  return true;
}
