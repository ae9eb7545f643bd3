import type { FirewallBackend } from '../../protocol/src/firewall.js';
import type { Chain, Rule } from '../../protocol/src/snapshot.js';
import { iptablesBaseChain } from './hooks.js';
import { comments, parseSpec, ruleTarget } from './iptables-spec.js';
import { netloomField } from './netloom-id.js';
import { chainOwner, ruleOwner } from './rule-owner.js';

/**
 * Parses `iptables-save -c` (or plain `iptables-save`) output of one namespace into the
 * snapshot's rules and chains (DESIGN §3). Every table is kept. Never throws: a line it
 * cannot read is skipped, so one odd line costs that line, not the namespace.
 *
 *   *nat                                   table header
 *   :DOCKER - [0:0]                        chain, policy (`-` for a user chain), counters
 *   [1:60] -A DOCKER ! -i docker0 -p tcp … rule with counters (none without -c)
 *   COMMIT
 *   # Warning: iptables-legacy tables present, use iptables-legacy-save to see them
 */

const TABLE_LINE = /^\*(\S+)\s*$/;
const CHAIN_LINE = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/;
const RULE_LINE = /^(?:\[(\d+):(\d+)\]\s+)?-A\s+(\S+)(?:\s(.*))?$/;

/** iptables-save always names the table; should a rule come without one, it is the default table's. */
const DEFAULT_TABLE = 'filter';

/** Which source the text came from; absent: plain `iptables-save`, as before issue 12. */
export interface SaveSource {
  backend: FirewallBackend;
  family: 'ip' | 'ip6';
}

export function parseIptablesSave(text: string, nsId: string, source?: SaveSource): { rules: Rule[]; chains: Chain[] } {
  const rules: Rule[] = [];
  const chains: Chain[] = [];
  let table = DEFAULT_TABLE;
  for (const raw of String(text).split('\n')) {
    const line = raw.replace(/\r$/, '').trimEnd();
    if (line === '' || line.startsWith('#') || line === 'COMMIT') continue;
    const t = TABLE_LINE.exec(line);
    if (t !== null) {
      table = t[1] ?? DEFAULT_TABLE;
      continue;
    }
    const c = CHAIN_LINE.exec(line);
    if (c !== null) {
      const name = c[1] ?? '';
      const policy = c[2] ?? '-';
      const base = iptablesBaseChain(table, name);
      chains.push({
        ns: nsId,
        table,
        chain: name,
        policy: policy === '-' ? null : policy,
        packets: toCount(c[3]),
        bytes: toCount(c[4]),
        owner: chainOwner(name),
        ...(source ? { ...source, hook: base?.hook ?? null, priority: base?.priority ?? null, type: base?.type ?? null } : {}),
      });
      continue;
    }
    const r = RULE_LINE.exec(line);
    if (r !== null) rules.push(ruleOf(nsId, table, r[3] ?? '', r[4]?.trim() ?? '', source, r[1], r[2]));
  }
  return { rules, chains };
}

function ruleOf(ns: string, table: string, chain: string, spec: string, source: SaveSource | undefined, packets?: string, bytes?: string): Rule {
  const options = parseSpec(spec);
  return {
    ns,
    table,
    chain,
    spec,
    owner: ruleOwner(table, chain, spec),
    packets: toCount(packets),
    bytes: toCount(bytes),
    target: ruleTarget(options)?.target ?? null,
    ...netloomField(comments(options)),
    ...(source ?? {}),
  };
}

/** Counters are u64; a double keeps them exact up to 2^53, plenty for a view. */
function toCount(s: string | undefined): number {
  if (s === undefined) return 0;
  const n = Number(s);
  return Number.isFinite(n) ? n : 0;
}
