import type { HopDecider } from '../../../../protocol/src/explain.js';
import type { FirewallFamily, FirewallHook } from '../../../../protocol/src/firewall.js';
import { FirewallHook as HookSchema } from '../../../../protocol/src/firewall.js';
import type { Rule, Snapshot } from '../../../../protocol/src/snapshot.js';
import type { NftChain, NftRule } from '../../../firewall/nft-json.js';
import { isCompatTable } from '../../../firewall/read.js';
import type { TraceSegment } from './trace-segments.js';

/**
 * Names what ended a traced base chain the way the rest of netloom names rules (HopDecider, the
 * rules view's contract): a native nftables rule by its handle with the snapshot's text for it;
 * an iptables-nft rule — its table is an nftables table, so the kernel traces it — as
 * iptables-nft-save spells it, found by its position in its chain (the save lists a chain's
 * rules in nft's order), else nft's own text with the handle; a policy as the chain's policy.
 */
export interface NsRuleset {
  ns: string;
  /** `nft -j list ruleset` of the namespace, read before the trace table was made. */
  chains: NftChain[];
  rules: NftRule[];
}

export interface BaseInfo {
  hook: FirewallHook;
  type: string;
  backend: 'nftables' | 'nft-compat';
}

const key = (family: string, table: string, chain: string): string => `${family}|${table}|${chain}`;

export interface DeciderContext {
  base(family: FirewallFamily, table: string, chain: string): BaseInfo | null;
  decider(seg: TraceSegment): HopDecider | null;
  /** How the segment's chain is named in a sentence: `FORWARD (iptables-nft)`, `nft inet f fw`. */
  where(seg: TraceSegment): string;
  /** How the deciding rule reads: `-A WEB -p tcp … -j DROP`, `"tcp dport 80 accept"`, `its policy drop`. */
  what(seg: TraceSegment): string;
}

export function deciderContext(snapshot: Snapshot, rs: NsRuleset): DeciderContext {
  const mine = snapshot.rules.filter((r) => r.ns === rs.ns);
  const compat = new Set<string>();
  for (const x of [...mine, ...(snapshot.chains ?? []).filter((c) => c.ns === rs.ns)]) if (x.backend === 'nft-compat') compat.add(`${x.family ?? 'ip'}|${x.table}`);
  const nftTables = new Set((snapshot.firewallTables ?? []).filter((t) => t.ns === rs.ns && t.backend === 'nftables').map((t) => `${t.family}|${t.name}`));
  const backendOf = (family: string, table: string): 'nftables' | 'nft-compat' =>
    compat.has(`${family}|${table}`) || (!nftTables.has(`${family}|${table}`) && isCompatTable(family, table)) ? 'nft-compat' : 'nftables';
  const chains = new Map(rs.chains.map((c) => [key(c.family, c.table, c.name), c]));
  const handles = new Map<string, number[]>();
  for (const r of rs.rules) {
    if (r.handle === undefined) continue;
    const k = key(r.family, r.table, r.chain);
    const list = handles.get(k);
    if (list) list.push(r.handle);
    else handles.set(k, [r.handle]);
  }
  const snapRules = (backend: string, family: string, table: string, chain: string): Rule[] =>
    mine.filter((r) => (r.backend ?? 'legacy') === backend && (r.family ?? 'ip') === family && r.table === table && r.chain === chain);

  /** The rule that ended a segment, and whether its text is iptables-nft-save's. */
  const ruleDecider = (seg: TraceSegment): { d: HopDecider; saved: boolean } | null => {
    const end = seg.end;
    if (end === null || end.kind !== 'rule') return null;
    const backend = backendOf(end.family, end.table);
    const handle = end.handle ?? undefined;
    let spec = end.text ?? (handle !== undefined ? `handle ${handle}` : '?');
    let saved = false;
    if (backend === 'nftables') {
      spec = snapRules('nftables', end.family, end.table, end.chain).find((r) => r.handle !== undefined && r.handle === handle)?.spec ?? spec;
    } else {
      const order = handles.get(key(end.family, end.table, end.chain)) ?? [];
      const save = snapRules('nft-compat', end.family, end.table, end.chain);
      const at = handle === undefined ? -1 : order.indexOf(handle);
      if (at >= 0 && save.length === order.length) {
        spec = save[at]!.spec;
        saved = true;
      }
    }
    return { d: { kind: 'rule', ns: rs.ns, table: end.table, chain: end.chain, spec, backend, family: end.family, ...(handle !== undefined ? { handle } : {}) }, saved };
  };
  const decider = (seg: TraceSegment): HopDecider | null => {
    const end = seg.end;
    if (end === null) return null;
    if (end.kind === 'rule') return ruleDecider(seg)?.d ?? null;
    const backend = backendOf(seg.family, seg.table);
    const policy = backend === 'nft-compat' ? end.policy.toUpperCase() : end.policy;
    return { kind: 'policy', ns: rs.ns, table: seg.table, chain: seg.chain, policy, backend, family: seg.family };
  };

  return {
    base(family, table, chain) {
      const c = chains.get(key(family, table, chain));
      const hook = HookSchema.safeParse(c?.hook);
      if (!c || !hook.success) return null;
      return { hook: hook.data, type: c.type ?? 'filter', backend: backendOf(family, table) };
    },
    decider,
    where(seg) {
      if (backendOf(seg.family, seg.table) === 'nftables') return `nft ${seg.family} ${seg.table} ${seg.chain}`;
      const base = seg.table === 'filter' ? seg.chain : `${seg.table} ${seg.chain}`;
      return `${base} (${seg.family === 'ip6' ? 'ip6tables-nft' : 'iptables-nft'})`;
    },
    what(seg) {
      const r = ruleDecider(seg);
      if (r !== null && r.d.kind === 'rule') {
        const { d } = r;
        const other = d.chain !== seg.chain ? ` (chain ${d.chain})` : '';
        return r.saved ? `-A ${d.chain} ${d.spec}` : `"${d.spec}"${other}${d.backend === 'nft-compat' && d.handle !== undefined ? ` (handle ${d.handle})` : ''}`;
      }
      const d = decider(seg);
      if (d === null) return 'nothing: the trace ended before a verdict';
      if (d.kind === 'policy') return d.backend === 'nft-compat' ? `the ${d.chain} policy ${d.policy}` : `its policy ${d.policy}`;
      return '?';
    },
  };
}
