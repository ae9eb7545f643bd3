import { z } from 'zod';
import { FirewallFamily, JsonValue } from '../../protocol/src/firewall.js';

/**
 * `nft -j list ruleset` (libnftables JSON, schema version 1) → its tables, chains, rules and
 * sets. Objects netloom does not use (flowtables, named counters, quotas, ct helpers…) are
 * skipped; an object of an unknown shape costs that object, never the ruleset.
 *
 *   {"nftables": [{"metainfo": {…}}, {"table": {"family": "inet", "name": "f", "handle": 4}},
 *     {"chain": {"family": "inet", "table": "f", "name": "fw", "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
 *     {"rule": {"family": "inet", "table": "f", "chain": "fw", "handle": 4, "expr": [ … ]}}, {"set": {…}}, {"map": {…}}]}
 */

const Family = FirewallFamily;

const NftTable = z.looseObject({ family: Family, name: z.string(), handle: z.number().int().optional() });
const NftChain = z.looseObject({
  family: Family,
  table: z.string(),
  name: z.string(),
  handle: z.number().int().optional(),
  type: z.string().optional(),
  hook: z.string().optional(),
  prio: z.number().int().optional(),
  policy: z.string().optional(),
  dev: z.union([z.string(), z.array(z.string())]).optional(),
});
const NftRule = z.looseObject({
  family: Family,
  table: z.string(),
  chain: z.string(),
  handle: z.number().int().optional(),
  expr: z.array(JsonValue).default([]),
  comment: z.string().optional(),
});
const NftSet = z.looseObject({
  family: Family,
  table: z.string(),
  name: z.string(),
  type: z.union([z.string(), z.array(z.string())]),
  map: z.union([z.string(), z.array(z.string())]).optional(),
  flags: z.union([z.string(), z.array(z.string())]).optional(),
  elem: z.array(JsonValue).optional(),
});

export type NftTable = z.infer<typeof NftTable>;
export type NftChain = z.infer<typeof NftChain>;
export type NftRule = z.infer<typeof NftRule>;
export type NftSet = z.infer<typeof NftSet> & { isMap: boolean };

export interface NftRuleset {
  tables: NftTable[];
  chains: NftChain[];
  rules: NftRule[];
  sets: NftSet[];
  /** Objects of a known kind that did not have the expected shape. */
  skipped: number;
}

const Top = z.object({ nftables: z.array(z.unknown()) });

export const typeText = (t: string | string[]): string => (Array.isArray(t) ? t.join(' . ') : t);
export const listOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Never throws: text that is not libnftables JSON gives an empty ruleset. */
export function parseNftJson(text: string): NftRuleset {
  const out: NftRuleset = { tables: [], chains: [], rules: [], sets: [], skipped: 0 };
  let top: z.infer<typeof Top>;
  try {
    const parsed = Top.safeParse(JSON.parse(text));
    if (!parsed.success) return out;
    top = parsed.data;
  } catch {
    return out;
  }
  for (const item of top.nftables) {
    if (typeof item !== 'object' || item === null) continue;
    const [kind, body] = Object.entries(item)[0] ?? [];
    const take = <T>(schema: z.ZodType<T>, push: (v: T) => void): void => {
      const p = schema.safeParse(body);
      if (p.success) push(p.data);
      else out.skipped++;
    };
    if (kind === 'table') take(NftTable, (t) => out.tables.push(t));
    else if (kind === 'chain') take(NftChain, (c) => out.chains.push(c));
    else if (kind === 'rule') take(NftRule, (r) => out.rules.push(r));
    else if (kind === 'set' || kind === 'map') take(NftSet, (s) => out.sets.push({ ...s, isMap: kind === 'map' }));
  }
  return out;
}
