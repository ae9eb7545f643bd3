import { ProtocolError } from '../../protocol/src/errors.js';
import type { NftablesAction } from './actions.js';
import { nsLabel } from './actions.js';
import type { NsState } from './context.js';
import type { NftOwnRule } from './nft-own.js';

/** Whether netloom writes its rules into its own nftables table in this namespace (firewall/writer-choice.ts). */
export const usesNftables = (ns: NsState): boolean => ns.firewall?.writer === 'nftables';

/** Adds rules to netloom's table in the working state; compile renders the table once per namespace. */
export function nftAdd(ns: NsState, rules: NftOwnRule[], description: string, at: string): NftablesAction {
  const nft = ns.firewall?.nft;
  if (!nft) throw new ProtocolError('unavailable', `the nftables ruleset of ${nsLabel(ns.target)} could not be read (is nft installed?)`, { path: at });
  nft.rules.push(...rules);
  return { kind: 'nftables', ns: ns.target, description };
}

/** Removes the rules tagged `netloom:<id>` from netloom's table; null when it holds none. */
export function nftRemove(ns: NsState, id: string, description: string): NftablesAction | null {
  const nft = ns.firewall?.nft;
  if (!nft || !nft.rules.some((r) => r.id === id)) return null;
  nft.rules = nft.rules.filter((r) => r.id !== id);
  return { kind: 'nftables', ns: ns.target, description };
}
