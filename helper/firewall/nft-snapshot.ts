import type { FirewallHook, FirewallSet, FirewallTable, JsonValue } from '../../protocol/src/firewall.js';
import { FirewallHook as HookSchema } from '../../protocol/src/firewall.js';
import type { Chain, Rule } from '../../protocol/src/snapshot.js';
import { netloomField } from './netloom-id.js';
import type { NftRuleset, NftSet } from './nft-json.js';
import { listOf, typeText } from './nft-json.js';
import { exprText, kindOf, ruleCounters, ruleText, ruleVerdictText } from './nft-text.js';
import { tableOwner } from './table-owner.js';

/**
 * A namespace's nftables ruleset → the snapshot's firewall lists. Tables iptables-nft owns
 * (`compat`, "family|name") are left to iptables-nft-save, which spells their rules readably
 * (their xt matches are opaque blobs in JSON); from the JSON they only lend their base chains'
 * real priorities and their handles.
 */
export interface NftRead {
  tables: FirewallTable[];
  chains: Chain[];
  rules: Rule[];
  sets: FirewallSet[];
  /** Base chains of iptables-nft's tables: "family|table|chain" → hook, priority, type. */
  compatChains: Map<string, { hook: FirewallHook; priority: number; type: string }>;
}

const hookOf = (h: string | undefined): FirewallHook | null => {
  const p = HookSchema.safeParse(h);
  return p.success ? p.data : null;
};

function setOf(ns: string, s: NftSet): FirewallSet {
  const elem = s.elem ?? [];
  const dataType = s.map === undefined ? null : typeText(s.map);
  return {
    ns,
    family: s.family,
    table: s.table,
    name: s.name,
    kind: s.isMap ? (dataType === 'verdict' ? 'vmap' : 'map') : 'set',
    keyType: typeText(s.type),
    dataType,
    flags: listOf(s.flags),
    elements: elem.map((e) => (Array.isArray(e) && e.length === 2 ? { key: exprText(e[0] ?? null), value: valueText(e[1] ?? null) } : { key: exprText(e) })),
    raw: elem,
  };
}

function valueText(v: JsonValue): string {
  const k = kindOf(v);
  if (k && (k.kind === 'jump' || k.kind === 'goto')) return `${k.kind} ${String((k.body as { target?: string } | null)?.target ?? '')}`;
  if (k && ['accept', 'drop', 'continue', 'return'].includes(k.kind)) return k.kind;
  return exprText(v);
}

export function nftToSnapshot(rs: NftRuleset, ns: string, compat: Set<string>): NftRead {
  const out: NftRead = { tables: [], chains: [], rules: [], sets: [], compatChains: new Map() };
  const owners = new Map<string, ReturnType<typeof tableOwner>>();
  for (const t of rs.tables) {
    const key = `${t.family}|${t.name}`;
    if (compat.has(key)) continue;
    const o = tableOwner(t.name);
    owners.set(key, o);
    out.tables.push({ ns, backend: 'nftables', family: t.family, name: t.name, owner: o.owner, ownerWhy: o.why, ...(t.handle !== undefined ? { handle: t.handle } : {}) });
  }
  for (const c of rs.chains) {
    const key = `${c.family}|${c.table}`;
    const hook = hookOf(c.hook);
    if (compat.has(key)) {
      if (hook !== null && c.prio !== undefined) out.compatChains.set(`${key}|${c.name}`, { hook, priority: c.prio, type: c.type ?? 'filter' });
      continue;
    }
    out.chains.push({
      ns,
      table: c.table,
      chain: c.name,
      policy: hook === null ? null : (c.policy ?? 'accept'),
      packets: 0,
      bytes: 0,
      owner: owners.get(key)?.owner ?? 'user',
      backend: 'nftables',
      family: c.family,
      hook,
      priority: hook === null ? null : (c.prio ?? 0),
      type: hook === null ? null : (c.type ?? 'filter'),
    });
  }
  for (const r of rs.rules) {
    const key = `${r.family}|${r.table}`;
    if (compat.has(key)) continue;
    const { packets, bytes } = ruleCounters(r.expr);
    out.rules.push({
      ns,
      table: r.table,
      chain: r.chain,
      spec: ruleText(r.expr, r.comment),
      owner: owners.get(key)?.owner ?? 'user',
      packets,
      bytes,
      target: ruleVerdictText(r.expr),
      backend: 'nftables',
      family: r.family,
      ...(r.handle !== undefined ? { handle: r.handle } : {}),
      ...netloomField(r.comment === undefined ? [] : [r.comment]),
      expr: r.expr.map(stripCounter),
    });
  }
  for (const s of rs.sets) if (!compat.has(`${s.family}|${s.table}`)) out.sets.push(setOf(ns, s));
  return out;
}

/** Counter figures live in `packets`/`bytes`; kept in `expr` they would make every poll a change. */
function stripCounter(s: JsonValue): JsonValue {
  return kindOf(s)?.kind === 'counter' ? { counter: null } : s;
}
