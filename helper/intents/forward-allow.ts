import type { IntentOf } from '../../protocol/src/intents.js';
import type { BuildEnv, BuildResult } from './actions.js';
import { nsLabel, resolveNs } from './actions.js';
import type { TaggedRule } from './nat-rules.js';
import { addRulesActions } from './nat-rules.js';
import { ruleTag } from './netloom-chains.js';
import { dropWarnings } from './firewall-warnings.js';
import { nftAdd, usesNftables } from './nft-actions.js';
import { nftForwardAllowRules } from './nft-rules.js';

/**
 * `forward.allow`: an ACCEPT for the new connections from `source` (to `destination`) and one for
 * their replies (RELATED,ESTABLISHED), in NETLOOM-FORWARD — jumped to from the top of FORWARD,
 * so a DROP policy or a later DROP rule of the user no longer stops them. Written in
 * iptables-save's own order so `rule.remove` finds them by their spec.
 */
export function forwardAllowRules(f: IntentOf<'forward.allow'>, id: string): TaggedRule[] {
  const tag = ruleTag(id);
  const there = f.destination !== undefined ? ` -d ${f.destination}` : '';
  const back = f.destination !== undefined ? `-s ${f.destination} ` : '';
  return [
    { chain: 'NETLOOM-FORWARD', spec: `-s ${f.source}${there} ${tag} -j ACCEPT` },
    { chain: 'NETLOOM-FORWARD', spec: `${back}-d ${f.source} -m conntrack --ctstate RELATED,ESTABLISHED ${tag} -j ACCEPT` },
  ];
}

export function buildForwardAllow(intent: IntentOf<'forward.allow'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const id = env.newId();
  const what = `let ${intent.source}${intent.destination ? ` → ${intent.destination}` : ''} through FORWARD (and the replies) in ${nsLabel(ns.target)} [netloom:${id}]`;
  const notes = dropWarnings(ns.firewall, ns.target.id, `traffic from ${intent.source}${intent.destination ? ` to ${intent.destination}` : ''}`, { proto: 'tcp', src: intent.source.split('/')[0] ?? null, dst: (intent.destination ?? '0.0.0.0/0').split('/')[0] ?? '0.0.0.0', dport: null }, 'forward', ns.firewall?.iptablesBackend).map((w) => `warning: ${w}`);
  if (usesNftables(ns)) return { actions: [nftAdd(ns, nftForwardAllowRules(intent, id), what, at)], ids: [id], notes };
  return { actions: addRulesActions(ns, forwardAllowRules(intent, id), what, at), ids: [id], notes };
}
