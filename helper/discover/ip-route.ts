import { z } from 'zod';

/** A route of `ip -json -details route show table all`; `dev` is still a name (resolved at assembly). */
export interface ParsedRoute {
  table: string;
  dst: string;
  gateway: string | null;
  devName: string | null;
  src: string | null;
  protocol: string | null;
  scope: string | null;
  metric: number | null;
  type: string;
  family: 4 | 6;
}

const IpRoute = z.looseObject({
  type: z.string().optional(),
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  table: z.union([z.string(), z.number()]).optional(),
  protocol: z.union([z.string(), z.number()]).optional(),
  scope: z.union([z.string(), z.number()]).optional(),
  prefsrc: z.string().optional(),
  metric: z.number().optional(),
  pref: z.string().optional(),
});
type IpRoute = z.infer<typeof IpRoute>;

/**
 * `route show table all` lists IPv4 and IPv6 routes together without naming the family.
 * IPv6 routes carry `pref` (router preference) and colon addresses; `default` alone says nothing.
 */
function familyOf(r: IpRoute): 4 | 6 {
  if (r.pref !== undefined) return 6;
  for (const a of [r.dst, r.gateway, r.prefsrc]) if (a !== undefined && a.includes(':')) return 6;
  return 4;
}

const str = (v: string | number | undefined): string | null => (v === undefined ? null : String(v));

export function parseRoutes(json: unknown): ParsedRoute[] {
  if (!Array.isArray(json)) return [];
  const out: ParsedRoute[] = [];
  for (const item of json) {
    const p = IpRoute.safeParse(item);
    if (!p.success) continue;
    const r = p.data;
    out.push({
      // Without -details the main table is left out; keep the kernel's name either way.
      table: str(r.table) ?? 'main',
      dst: r.dst,
      gateway: r.gateway ?? null,
      devName: r.dev ?? null,
      src: r.prefsrc ?? null,
      protocol: str(r.protocol),
      scope: str(r.scope),
      metric: r.metric ?? null,
      type: r.type ?? 'unicast',
      family: familyOf(r),
    });
  }
  return out;
}
