import { z } from 'zod';

const Netconf = z.looseObject({ family: z.string(), interface: z.string(), forwarding: z.boolean().optional() });

/** IPv4 forwarding of the namespace (`net.ipv4.ip_forward`) from `ip -json netconf show`: interface "all", family inet. */
export function parseIpForward(json: unknown): boolean | null {
  if (!Array.isArray(json)) return null;
  for (const item of json) {
    const p = Netconf.safeParse(item);
    if (p.success && p.data.family === 'inet' && p.data.interface === 'all') return p.data.forwarding ?? null;
  }
  return null;
}
