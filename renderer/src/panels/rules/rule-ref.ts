import type { Chain, FirewallBackend, FirewallFamily, Rule } from '../../../../protocol/src/index.js';

/**
 * Where a firewall table lives. The same name means different tables in different sources —
 * `filter` is a legacy iptables table, an iptables-nft table and maybe a native `inet filter` on
 * one host — so a table is always named with its source and family. `backend` null is an older
 * helper's snapshot: plain iptables as iptables-save showed it, family ip.
 */
export interface TableRef {
  ns: string;
  backend: FirewallBackend | null;
  family: FirewallFamily;
  table: string;
}

/** A rule (spec, and for nftables its handle) or a chain (spec null) to open the rules view on and mark. */
export interface RuleRef {
  ns: string;
  table: string;
  chain: string;
  spec: string | null;
  /** Absent: any iptables source (an explanation from before issue 12). */
  backend?: FirewallBackend | undefined;
  /** Absent: any family. */
  family?: FirewallFamily | undefined;
  /** nftables' rule handle: exact where spec text repeats. */
  handle?: number | undefined;
}

/** A policy routing rule to mark in the rules view's "ip rules" list (a HopDecider of kind ipRule). */
export interface IpRuleRef {
  ns: string;
  priority: number;
  /** As Explain prints it ("100: from all lookup 100"); tells apart rules sharing a priority. */
  text: string;
}

type Placed = { ns: string; backend?: FirewallBackend | undefined; family?: FirewallFamily | undefined; table: string };

export const tableRefOf = (x: Placed): TableRef => ({ ns: x.ns, backend: x.backend ?? null, family: x.family ?? 'ip', table: x.table });
export const tableKey = (t: TableRef): string => `${t.ns}|${t.backend ?? 'iptables'}|${t.family}|${t.table}`;
export const chainKey = (t: TableRef, chain: string): string => `${tableKey(t)}|${chain}`;

/** Whether `ref` points into this table (its backend and family, when it names them, must agree). */
export function refInTable(ref: RuleRef, t: TableRef): boolean {
  if (ref.ns !== t.ns || ref.table !== t.table) return false;
  return backendAgrees(ref.backend, t.backend) && (ref.family === undefined || ref.family === t.family);
}

function backendAgrees(ref: FirewallBackend | undefined, table: FirewallBackend | null): boolean {
  // A reference without a backend comes from iptables-save's world: either iptables, not nftables.
  if (ref === undefined) return table !== 'nftables';
  // An older snapshot's tables are iptables of unknown kind.
  if (table === null) return ref !== 'nftables';
  return ref === table;
}

export const refOnChain = (ref: RuleRef, t: TableRef, chain: string): boolean => ref.chain === chain && refInTable(ref, t);

/** Whether `ref` names this very rule: by handle when both have one, else by its text. */
export function refIsRule(ref: RuleRef, r: Rule): boolean {
  if (ref.spec === null || !refOnChain(ref, tableRefOf(r), r.chain)) return false;
  if (ref.handle !== undefined && r.handle !== undefined) return ref.handle === r.handle;
  return ref.spec === r.spec;
}

/** Whether `ref` names this chain itself (its policy), not one of its rules. */
export const refIsChain = (ref: RuleRef, c: Pick<Chain, 'ns' | 'table' | 'chain' | 'backend' | 'family'>): boolean => ref.spec === null && refOnChain(ref, tableRefOf(c), c.chain);
