import { z } from 'zod';
import type { IpRule } from '../../protocol/src/firewall.js';

/**
 * `ip -json rule show` (one family per call: `-4` or `-6`) → IpRule, the same records the
 * netlink decoder (netlink/fib-rules.ts) gives.
 *   [{"priority":0,"src":"all","table":"local"},{"priority":100,"not":null,"src":"10.9.0.0","srclen":24,"fwmark":"0x1/0xff","table":"100"}]
 */
const IpRuleJson = z.looseObject({
  priority: z.number().int().optional(),
  not: z.unknown().optional(),
  src: z.string().optional(),
  srclen: z.number().int().optional(),
  dst: z.string().optional(),
  dstlen: z.number().int().optional(),
  iif: z.string().optional(),
  oif: z.string().optional(),
  fwmark: z.string().optional(),
  fwmask: z.string().optional(),
  table: z.union([z.string(), z.number()]).optional(),
  action: z.string().optional(),
  target: z.number().int().optional(),
  goto: z.number().int().optional(),
  suppress_prefixlength: z.number().int().optional(),
});

const prefix = (a: string | undefined, len: number | undefined, family: 4 | 6): string | null =>
  a === undefined || a === 'all' ? null : `${a}/${len ?? (family === 4 ? 32 : 128)}`;

const ACTIONS: Record<string, IpRule['action']> = { blackhole: 'blackhole', unreachable: 'unreachable', prohibit: 'prohibit', goto: 'goto', nop: 'nop' };

export function parseIpRules(json: unknown, family: 4 | 6): IpRule[] {
  if (!Array.isArray(json)) return [];
  const out: IpRule[] = [];
  for (const item of json) {
    const p = IpRuleJson.safeParse(item);
    if (!p.success) continue;
    const r = p.data;
    const [mark, mask] = (r.fwmark ?? '').split('/');
    const action = r.goto !== undefined ? 'goto' : r.action === undefined ? 'lookup' : (ACTIONS[r.action] ?? 'other');
    const other = ['tos', 'l3mdev', 'uidrange', 'ipproto', 'sport', 'dport'].filter((k) => k in r);
    out.push({
      family,
      priority: r.priority ?? 0,
      ...(r.not !== undefined ? { not: true } : {}),
      src: prefix(r.src, r.srclen, family),
      dst: prefix(r.dst, r.dstlen, family),
      iif: r.iif ?? null,
      oif: r.oif ?? null,
      fwmark: mark ? Number(mark) : null,
      fwmask: mask ? Number(mask) : r.fwmask ? Number(r.fwmask) : null,
      ...(other.length ? { other } : {}),
      action,
      table: action === 'lookup' ? String(r.table ?? 'main') : null,
      goto: action === 'goto' ? (r.goto ?? r.target ?? null) : null,
      suppressPrefixlen: r.suppress_prefixlength ?? null,
    });
  }
  return out;
}

/** `sysctl -a -r …` lines ("net.ipv4.conf.eth0.rp_filter = 1") → netloom-nsread's "NAME KEY VALUE" form. */
export function sysctlLines(text: string): string {
  return text
    .split('\n')
    .flatMap((l) => {
      const m = /^net\.ipv4\.conf\.(.+)\.(rp_filter|route_localnet)\s*=\s*(\d+)/.exec(l.trim());
      return m ? [`${m[1]} ${m[2]} ${m[3]}`] : [];
    })
    .join('\n');
}
