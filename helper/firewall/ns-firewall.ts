import type { FirewallBackend, FirewallFamily, FirewallHook, JsonValue } from '../../protocol/src/firewall.js';
import type { Chain, Rule, Snapshot } from '../../protocol/src/snapshot.js';
import { iptablesForm } from './form-iptables.js';
import { nftForm } from './form-nft.js';
import { iptablesBaseChain } from './hooks.js';
import type { RuleForm } from './rule-form.js';

/**
 * One namespace's firewall, every source at once, indexed for walking: tables by (backend,
 * family, name), the base chains of each hook in priority order, rules by chain, and each
 * rule's parsed form (parsed once, on first use).
 */
export interface TableRef {
  backend: FirewallBackend;
  family: FirewallFamily;
  table: string;
}

export interface BaseChain {
  ref: TableRef;
  chain: string;
  hook: FirewallHook;
  priority: number;
  type: 'filter' | 'nat' | 'route';
  /** `accept` or `drop`; base chains always have one. */
  policy: 'accept' | 'drop';
}

export interface NsFirewall {
  ns: string;
  /** Base chains of `hook` that see packets of this IP family, lowest priority first. */
  baseChains(hook: FirewallHook, family: 4 | 6): BaseChain[];
  rules(ref: TableRef, chain: string): Rule[];
  hasChain(ref: TableRef, chain: string): boolean;
  form(rule: Rule): RuleForm;
  /** Sources that exist here but could not be read. */
  unread: string[];
}

export const tableKey = (r: TableRef): string => `${r.backend}|${r.family}|${r.table}`;
/** A rule or chain from before issue 12 has no backend: iptables as `iptables-save` showed it. */
export const refOf = (x: { backend?: FirewallBackend | undefined; family?: FirewallFamily | undefined; table: string }): TableRef => ({
  backend: x.backend ?? 'legacy',
  family: x.family ?? 'ip',
  table: x.table,
});

const forms = new WeakMap<Rule, RuleForm>();

function sees(chainFamily: FirewallFamily, family: 4 | 6): boolean {
  return chainFamily === 'inet' || (family === 4 ? chainFamily === 'ip' : chainFamily === 'ip6');
}

function baseOf(c: Chain): BaseChain | null {
  const ref = refOf(c);
  if (ref.backend === 'nftables' || (c.hook !== undefined && c.hook !== null && c.priority !== undefined && c.priority !== null)) {
    if (!c.hook || c.priority === undefined || c.priority === null) return null;
    const type = c.type === 'nat' ? 'nat' : c.type === 'route' ? 'route' : 'filter';
    return { ref, chain: c.chain, hook: c.hook, priority: c.priority, type, policy: (c.policy ?? 'accept').toLowerCase() === 'drop' ? 'drop' : 'accept' };
  }
  const b = iptablesBaseChain(c.table, c.chain);
  if (b === null) return null;
  return { ref, chain: c.chain, ...b, policy: (c.policy ?? 'ACCEPT').toUpperCase() === 'DROP' ? 'drop' : 'accept' };
}

/** What the index needs of a snapshot (discovery builds it before the snapshot exists). */
export type FirewallView = Pick<Snapshot, 'namespaces' | 'rules'> & Partial<Pick<Snapshot, 'chains' | 'sets'>>;

export function nsFirewall(s: FirewallView, ns: string): NsFirewall {
  const rulesBy = new Map<string, Rule[]>();
  const chainKeys = new Set<string>();
  const bases: BaseChain[] = [];
  const key = (ref: TableRef, chain: string) => `${tableKey(ref)}|${chain}`;
  for (const r of s.rules) {
    if (r.ns !== ns) continue;
    const k = key(refOf(r), r.chain);
    const list = rulesBy.get(k);
    if (list) list.push(r);
    else rulesBy.set(k, [r]);
  }
  const chains = (s.chains ?? []).filter((c) => c.ns === ns);
  for (const c of chains) {
    chainKeys.add(key(refOf(c), c.chain));
    const b = baseOf(c);
    if (b) bases.push(b);
  }
  // A snapshot without chains (older ones): every built-in chain that has rules is a base chain with policy ACCEPT.
  if (s.chains === undefined) {
    for (const r of s.rules) {
      if (r.ns !== ns || chainKeys.has(key(refOf(r), r.chain))) continue;
      chainKeys.add(key(refOf(r), r.chain));
      const b = iptablesBaseChain(r.table, r.chain);
      if (b) bases.push({ ref: refOf(r), chain: r.chain, ...b, policy: 'accept' });
    }
  }
  bases.sort((a, b) => a.priority - b.priority);
  const setsBy = new Map<string, { elem: JsonValue[]; isMap: boolean }>();
  for (const set of s.sets ?? []) if (set.ns === ns) setsBy.set(`${set.family}|${set.table}|${set.name}`, { elem: set.raw ?? [], isMap: set.kind !== 'set' });
  return {
    ns,
    baseChains: (hook, family) => bases.filter((b) => b.hook === hook && sees(b.ref.family, family)),
    rules: (ref, chain) => rulesBy.get(key(ref, chain)) ?? [],
    hasChain: (ref, chain) => chainKeys.has(key(ref, chain)) || rulesBy.has(key(ref, chain)),
    form: (rule) => {
      let f = forms.get(rule);
      if (f === undefined) {
        f = rule.expr !== undefined ? nftForm(rule.expr, (name) => setsBy.get(`${rule.family ?? 'ip'}|${rule.table}|${name}`)) : iptablesForm(rule.spec, rule.family === 'ip6');
        forms.set(rule, f);
      }
      return f;
    },
    unread: s.namespaces.find((n) => n.id === ns)?.firewallUnread ?? [],
  };
}
