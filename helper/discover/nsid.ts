import { z } from 'zod';

const NsidEntry = z.looseObject({ nsid: z.number().int(), name: z.string().optional() });

/**
 * `ip -json netns list-id` inside a namespace: that namespace's nsid table. ip names an nsid only
 * when it denotes a /run/netns namespace; unnamed ones (containers, unshare) come back as null.
 */
export function parseNsids(json: unknown): Map<number, string | null> {
  const out = new Map<number, string | null>();
  if (!Array.isArray(json)) return out;
  for (const item of json) {
    const p = NsidEntry.safeParse(item);
    if (p.success) out.set(p.data.nsid, p.data.name ?? null);
  }
  return out;
}
