import type { FirewallSet, FirewallTable } from '../../protocol/src/firewall.js';
import type { Chain, Rule } from '../../protocol/src/snapshot.js';
import { explainChains } from '../discover/runtimes/chain-explanations.js';
import { parseIptablesSave } from './iptables-save.js';
import { parseNftJson } from './nft-json.js';
import { nftToSnapshot } from './nft-snapshot.js';
import type { FirewallTexts } from './read.js';

/**
 * One namespace's firewall texts → the snapshot's lists: iptables-save texts of both backends and
 * both families, and the native nftables tables of `nft -j`. iptables-nft's tables appear in both
 * (as iptables-save text and as nftables JSON): the text is kept, the JSON lends its real base
 * chain priorities.
 */
export interface NsFirewallLists {
  rules: Rule[];
  chains: Chain[];
  tables: FirewallTable[];
  sets: FirewallSet[];
  unread: string[];
}

export function firewallLists(texts: FirewallTexts, ns: string): NsFirewallLists {
  const out: NsFirewallLists = { rules: [], chains: [], tables: [], sets: [], unread: [...texts.unread] };
  const compat = new Set<string>();
  for (const save of texts.saves) {
    const parsed = parseIptablesSave(save.text, ns, { backend: save.backend, family: save.family });
    out.rules.push(...parsed.rules);
    out.chains.push(...explainChains(parsed.chains));
    for (const name of new Set(parsed.chains.map((c) => c.table))) {
      if (save.backend === 'nft-compat') compat.add(`${save.family}|${name}`);
      out.tables.push({ ns, backend: save.backend, family: save.family, name, owner: 'user', ownerWhy: 'an iptables table: each rule has its own owner' });
    }
  }
  if (texts.nftJson !== null) {
    const nft = nftToSnapshot(parseNftJson(texts.nftJson), ns, compat);
    for (const c of out.chains) {
      if (c.backend !== 'nft-compat') continue;
      const real = nft.compatChains.get(`${c.family}|${c.table}|${c.chain}`);
      if (real) Object.assign(c, { hook: real.hook, priority: real.priority, type: real.type });
    }
    out.rules.push(...nft.rules);
    out.chains.push(...nft.chains);
    out.tables.push(...nft.tables);
    out.sets.push(...nft.sets);
  }
  return out;
}
