import type { Rule } from '../../../../protocol/src/index.js';
import type { ChainGroup } from '../group-rules.js';

/**
 * The filter box: a chain whose name matches keeps all its rules; otherwise only the rules whose
 * text, target or owner match are kept, and a chain with none is left out (null).
 */
export function filterChain(c: ChainGroup, query: string): Rule[] | null {
  const q = query.trim().toLowerCase();
  if (q === '' || c.chain.toLowerCase().includes(q)) return c.rules;
  const kept = c.rules.filter((r) => r.spec.toLowerCase().includes(q) || (r.target ?? '').toLowerCase().includes(q) || r.owner.includes(q));
  return kept.length ? kept : null;
}
