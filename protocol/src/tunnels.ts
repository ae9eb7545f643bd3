import { z } from 'zod';

/**
 * Tunnels (issue 14): what the kernel says about an encapsulating device, and the edges drawn
 * between two hosts' devices (or to "remote 192.0.2.7" when the far end is not on the canvas).
 */
export const TunnelType = z.enum(['vxlan', 'geneve', 'gre', 'gretap', 'ipip', 'sit', 'ip6gre', 'ip6tnl', 'wireguard']);
export type TunnelType = z.infer<typeof TunnelType>;

export const TunnelInfo = z.object({
  type: TunnelType,
  /** VXLAN / Geneve network identifier. */
  vni: z.number().int().nullable(),
  /** This end's underlay address, when fixed. */
  local: z.string().nullable(),
  /** The far end's underlay address (unicast), when fixed. */
  remote: z.string().nullable(),
  /** A multicast group (VXLAN). */
  group: z.string().nullable(),
  /** The UDP port packets are sent to (VXLAN 4789/8472, Geneve 6081). */
  dstPort: z.number().int().nullable(),
  /** VXLAN: the far ends `bridge fdb` sends to (`dst`), each with the MAC it is for (00:00:… for flooding). */
  fdb: z.array(z.object({ mac: z.string(), dst: z.string() })).optional(),
  /** WireGuard: each peer's endpoint (`addr:port`), allowed IPs and latest handshake (unix seconds; null: never). */
  peers: z.array(z.object({ publicKey: z.string(), endpoint: z.string().nullable(), allowedIps: z.array(z.string()), latestHandshake: z.number().int().nullable().optional() })).optional(),
  /** What the device is for, when a runtime made it: "Docker Swarm overlay", "flannel", "Calico". */
  role: z.string().nullable().optional(),
});
export type TunnelInfo = z.infer<typeof TunnelInfo>;

/** An edge of the merged canvas: tunnel device `a` to the device `b` on another host, or to the address `remote`. */
export const TunnelEdge = z.object({
  id: z.string(),
  type: TunnelType,
  a: z.string(),
  b: z.string().nullable(),
  /** The far end's underlay address (what `b` holds, or what is not on the canvas). */
  remote: z.string(),
  vni: z.number().int().nullable(),
});
export type TunnelEdge = z.infer<typeof TunnelEdge>;

/** The far ends a tunnel device sends to: its fixed remote, its fdb destinations, its peers' endpoints. */
export function tunnelRemotes(t: TunnelInfo): string[] {
  const out = new Set<string>();
  if (t.remote) out.add(t.remote);
  for (const f of t.fdb ?? []) out.add(f.dst);
  for (const p of t.peers ?? []) if (p.endpoint) out.add(endpointAddress(p.endpoint));
  return [...out];
}

/** `192.0.2.7:51820` → `192.0.2.7`; `[2001:db8::1]:51820` → `2001:db8::1`. */
export function endpointAddress(endpoint: string): string {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(endpoint);
  if (v6?.[1]) return v6[1];
  const i = endpoint.lastIndexOf(':');
  return i > 0 && !endpoint.slice(0, i).includes(':') ? endpoint.slice(0, i) : endpoint;
}
