import type { Rule, Snapshot } from './snapshot.js';
import { shellQuote } from './shell-quote.js';

/** netloom writes only into chains with this prefix (DESIGN §6; helper/intents/netloom-chains.ts). */
const NETLOOM_PREFIX = 'NETLOOM-';
const HEREDOC = 'NETLOOM_RULES';

/**
 * One `iptables-restore --noflush` per namespace and table with netloom's own rules: its chains
 * declared, the jump from each built-in chain inserted at the top (as netloom does), then the
 * rules in their order. `--noflush` leaves everyone else's rules alone; a `:CHAIN` line flushes
 * only that (new) chain. The rule text is iptables-save's own, so restore reads it back as is.
 */
export function netloomRuleBlocks(s: Snapshot, scriptable: (nsId: string) => boolean): string[] {
  const groups = new Map<string, { ns: string; table: string; rules: Rule[]; chains: Set<string> }>();
  const group = (ns: string, table: string) => {
    const key = `${ns}\u0000${table}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ns, table, rules: [], chains: new Set() }));
    return g;
  };
  for (const r of s.rules) {
    if (r.owner !== 'netloom' || r.backend === 'nftables' || !scriptable(r.ns)) continue;
    const g = group(r.ns, r.table);
    g.rules.push(r);
    if (r.chain.startsWith(NETLOOM_PREFIX)) g.chains.add(r.chain);
    const jumpTo = jumpTarget(r.spec);
    if (jumpTo?.startsWith(NETLOOM_PREFIX)) g.chains.add(jumpTo);
  }
  for (const c of s.chains ?? []) {
    if (c.backend !== 'nftables' && c.chain.startsWith(NETLOOM_PREFIX) && scriptable(c.ns)) group(c.ns, c.table).chains.add(c.chain);
  }

  const out: string[] = [];
  for (const g of groups.values()) {
    const n = s.namespaces.find((x) => x.id === g.ns);
    const prefix = n?.kind === 'host' || !n?.name ? '' : `ip netns exec ${shellQuote(n.name)} `;
    const jumps = g.rules.filter((r) => !r.chain.startsWith(NETLOOM_PREFIX));
    const own = g.rules.filter((r) => r.chain.startsWith(NETLOOM_PREFIX));
    out.push(`${prefix}iptables-restore -w 5 --noflush <<'${HEREDOC}'`);
    out.push(`*${g.table}`);
    for (const chain of [...g.chains].sort()) out.push(`:${chain} - [0:0]`);
    // Reversed so that, each inserted at line 1, they end up in the order they had.
    for (const r of [...jumps].reverse()) out.push(`-I ${r.chain} 1 ${clean(r.spec)}`);
    for (const r of own) out.push(`-A ${r.chain} ${clean(r.spec)}`);
    out.push('COMMIT', HEREDOC);
  }
  return out;
}

/**
 * netloom's own nftables table (`inet netloom`, on hosts whose firewall is native nftables) per
 * namespace: one `nft -f` that declares it whole, chains with their hook and priority, rules as nft
 * printed them (the snapshot's text of a rule reloads as is).
 */
export function netloomNftBlocks(s: Snapshot, scriptable: (nsId: string) => boolean): string[] {
  const out: string[] = [];
  const nsIds = [...new Set(s.rules.filter((r) => r.backend === 'nftables' && r.family === 'inet' && r.table === 'netloom' && scriptable(r.ns)).map((r) => r.ns))];
  for (const ns of nsIds) {
    const n = s.namespaces.find((x) => x.id === ns);
    const prefix = n?.kind === 'host' || !n?.name ? '' : `ip netns exec ${shellQuote(n.name)} `;
    const chains = (s.chains ?? []).filter((c) => c.ns === ns && c.backend === 'nftables' && c.family === 'inet' && c.table === 'netloom');
    out.push(`${prefix}nft -f - <<'${HEREDOC}'`, 'table inet netloom {}', 'delete table inet netloom', 'table inet netloom {');
    for (const c of chains) {
      out.push(`\tchain ${c.chain} {`);
      if (c.hook) out.push(`\t\ttype ${c.type ?? 'filter'} hook ${c.hook} priority ${c.priority ?? 0}; policy ${c.policy ?? 'accept'};`);
      for (const r of s.rules.filter((x) => x.ns === ns && x.backend === 'nftables' && x.table === 'netloom' && x.chain === c.chain)) out.push(`\t\t${clean(r.spec)}`);
      out.push('\t}');
    }
    out.push('}', HEREDOC);
  }
  return out;
}

/** The chain a rule jumps to (`-j NAME` / `-g NAME`), if any. */
function jumpTarget(spec: string): string | null {
  const m = /(?:^|\s)-[jg]\s+(\S+)/.exec(spec);
  return m?.[1] ?? null;
}

/** One line, and never the heredoc's end marker on a line of its own. */
function clean(spec: string): string {
  return spec.replace(/[\r\n]+/g, ' ').trim();
}
