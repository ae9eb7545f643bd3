import type { FirewallSet, JsonValue, Rule } from '../../../../protocol/src/index.js';
import { HOOK_ORDER } from './base-chains.js';
import { jumpOf } from './jumps.js';
import { setNamesIn } from './set-refs.js';

interface Orderable {
  chain: string;
  hook: (typeof HOOK_ORDER)[number] | null;
  priority: number | null;
  rules: Rule[];
}

/**
 * A table's chains in the order a packet meets them: the base chains by hook and priority (all
 * at the top, however many chains follow), then the chains they jump or go to (verdict maps'
 * too), depth first — kube-proxy's KUBE-SERVICES, KUBE-SVC-A, KUBE-SEP-A, KUBE-SVC-B… — then
 * chains nothing reaches, in their tool's order. A listing in name order would put KUBE-SERVICES
 * after hundreds of KUBE-SEP-… chains.
 */
export function orderChains<C extends Orderable>(chains: C[], sets: FirewallSet[]): C[] {
  const byName = new Map(chains.map((c) => [c.chain, c]));
  const names = new Set(byName.keys());
  const vmaps = new Map(sets.filter((s) => s.kind === 'vmap').map((s) => [s.name, s]));
  const at = new Map(chains.map((c, k) => [c, k]));
  const hookRank = (c: C) => (c.hook === null ? HOOK_ORDER.length : HOOK_ORDER.indexOf(c.hook));
  const bases = chains.filter((c) => c.hook !== null).sort((a, b) => hookRank(a) - hookRank(b) || (a.priority ?? 0) - (b.priority ?? 0) || (at.get(a) ?? 0) - (at.get(b) ?? 0));
  const out: C[] = [...bases];
  const seen = new Set<C>(bases);
  const visit = (start: C) => {
    // An explicit stack: kube-proxy's jump chains are thousands deep in total, never recurse on them.
    const stack = [start];
    while (stack.length) {
      const c = stack.pop()!;
      if (c !== start) {
        if (seen.has(c)) continue;
        seen.add(c);
        out.push(c);
      }
      const next = c.rules.flatMap((r) => targetsOf(r, names, vmaps)).map((n) => byName.get(n)).filter((x): x is C => x !== undefined && !seen.has(x));
      stack.push(...next.reverse());
    }
  };
  for (const b of bases) visit(b);
  for (const c of chains) {
    if (seen.has(c)) continue;
    seen.add(c);
    out.push(c);
    visit(c);
  }
  return out;
}

/** Chains a rule may send a packet to: its verdict, jumps inside its expressions (anonymous verdict maps), and named verdict maps it uses. */
function targetsOf(r: Rule, names: ReadonlySet<string>, vmaps: ReadonlyMap<string, FirewallSet>): string[] {
  const out: string[] = [];
  const direct = jumpOf(r.target, names);
  if (direct) out.push(direct);
  if (r.expr) collectJumps(r.expr, names, out);
  for (const n of setNamesIn(r)) for (const e of vmaps.get(n)?.elements ?? []) {
    const j = jumpOf(e.value, names);
    if (j) out.push(j);
  }
  return out;
}

function collectJumps(v: JsonValue, names: ReadonlySet<string>, out: string[]): void {
  if (Array.isArray(v)) for (const x of v) collectJumps(x, names, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'jump' || k === 'goto') && x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x['target'] === 'string' && names.has(x['target'])) out.push(x['target']);
      else collectJumps(x, names, out);
    }
  }
}
