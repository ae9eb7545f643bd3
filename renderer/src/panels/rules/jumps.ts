import type { Rule } from '../../../../protocol/src/index.js';

/**
 * The chain a rule (or a verdict map element) sends packets on to: nftables' `jump X`/`goto X`,
 * iptables' `-j X` when X is a chain of the same table (not a target like ACCEPT or DNAT).
 */
export function jumpOf(target: string | null | undefined, chains: ReadonlySet<string>): string | null {
  if (!target) return null;
  const m = /^(?:jump|goto) (.+)$/.exec(target);
  const name = m?.[1] ?? target;
  return chains.has(name) ? name : null;
}

export const ruleJump = (r: Rule, chains: ReadonlySet<string>): string | null => jumpOf(r.target, chains);
