import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { Action, BuildEnv, BuildResult, SysctlAction } from './actions.js';
import { nsLabel, resolveNs } from './actions.js';
import { NETLOOM_CHAINS, hasTag } from './netloom-chains.js';
import type { NetloomChain, NetloomTable } from './netloom-chains.js';
import { addRulesActions, masqueradeRules, portSpans, portmapRules } from './nat-rules.js';
import { hairpinActions } from './hairpin.js';
import { clashingClaim } from './dnat-claims.js';
import { nftAdd, nftRemove, usesNftables } from './nft-actions.js';
import { nftMasqueradeRules, nftPortmapRules } from './nft-rules.js';
import { dropWarnings } from './firewall-warnings.js';
import { loopbackAccess, releaseLoopback } from './localnet.js';

export function buildMasquerade(intent: IntentOf<'nat.masquerade.add'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const id = env.newId();
  const what = `MASQUERADE ${intent.source}${intent.notDestination ? ` (not to ${intent.notDestination})` : ''}${intent.outDev ? ` out of ${intent.outDev}` : ''} in ${nsLabel(ns.target)} [netloom:${id}]`;
  if (usesNftables(ns)) return { actions: [nftAdd(ns, nftMasqueradeRules(intent, id), what, at)], ids: [id] };
  return { actions: addRulesActions(ns, masqueradeRules(intent, id), what, at), ids: [id] };
}

function portText(p: IntentOf<'portmap.add'>): string {
  return p.hostPortEnd !== undefined && p.hostPortEnd !== p.hostPort ? `${p.hostPort}-${p.hostPortEnd}` : String(p.hostPort);
}

export function buildPortmap(intent: IntentOf<'portmap.add'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const clash = clashingClaim(ns, intent);
  if (clash) {
    throw new ProtocolError('conflict', `${intent.proto} port ${portText(intent)} is already mapped in ${nsLabel(ns.target)} (by ${clash.owner}: ${clash.where})`, {
      path: `${at}.hostPort`,
    });
  }
  const id = env.newId();
  const host = intent.hostIp ?? '*';
  const what = `map ${intent.proto} ${host}:${portText(intent)} → ${intent.targetIp}:${intent.targetPort}${intent.hostPortEnd !== undefined ? `-${intent.targetPort + intent.hostPortEnd - intent.hostPort}` : ''} in ${nsLabel(ns.target)} [netloom:${id}]`;
  // 127.0.0.1 on this host reaching the target (issue 15): route_localnet on one device, guarded.
  const loopback = loopbackAccess(ns, intent, id, portSpans(intent).targetPorts);
  const hairpin = hairpinActions(ns, intent.targetIp);
  const nft = usesNftables(ns);
  if (nft && ns.firewall) ns.firewall.planned = [...(ns.firewall.planned ?? []), { proto: intent.proto, lo: intent.hostPort, hi: intent.hostPortEnd ?? intent.hostPort, hostIp: intent.hostIp ?? null, owner: 'netloom', where: `inet netloom [netloom:${id}]` }];
  // The guard is in place before route_localnet goes on (and the undo turns it off before dropping the guard).
  const rules = nft ? [nftAdd(ns, [...nftPortmapRules(intent, id, at), ...loopback.nft], what, at)] : addRulesActions(ns, [...portmapRules(intent, id), ...loopback.rules], what, at);
  const actions: Action[] = [...hairpin.actions, ...rules, ...loopback.sysctl];
  const traffic = `${intent.proto} to ${intent.targetIp}:${intent.targetPort} (the mapping's forwarded traffic)`;
  const warnings = dropWarnings(ns.firewall, ns.target.id, traffic, { proto: intent.proto, src: null, dst: intent.targetIp, dport: intent.targetPort }, 'forward', ns.firewall?.iptablesBackend);
  return { actions, ids: [id], notes: [...loopback.notes, ...hairpin.notes, ...warnings.map((w) => `warning: ${w}`)] };
}

/** Deletes exactly the rules tagged `netloom:<id>` (by their spec, with `-D`, atomically per table); the undo appends them again. */
export function buildRuleRemove(intent: IntentOf<'rule.remove'>, env: BuildEnv, at: string): BuildResult {
  const candidates = intent.ns !== undefined ? [resolveNs(env, intent.ns, `${at}.ns`)] : env.state.namespaces;
  const actions: Action[] = [];
  const sysctls: SysctlAction[] = [];
  for (const ns of candidates) {
    const nftTagged = ns.firewall?.nft?.rules.filter((r) => r.id === intent.id) ?? [];
    const fromNft = nftRemove(ns, intent.id, `remove netloom:${intent.id} from netloom's nftables table in ${nsLabel(ns.target)}`);
    if (fromNft) actions.push(fromNft);
    if (ns.iptables === null) {
      sysctls.push(...releaseLoopback(ns, [], nftTagged));
      continue;
    }
    const tagged = ns.iptables.rules.filter((r) => r.chain in NETLOOM_CHAINS && hasTag(r.spec, intent.id));
    const byTable = new Map<string, typeof tagged>();
    for (const r of tagged) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
    for (const [table, rules] of byTable) {
      const chains = [...new Set(rules.map((r) => r.chain as NetloomChain))].join(', ');
      actions.push({
        kind: 'iptables',
        ns: ns.target,
        table: table as NetloomTable,
        declare: [],
        lines: rules.map((r) => `-D ${r.chain} ${r.spec}`),
        undoLines: rules.map((r) => `-A ${r.chain} ${r.spec}`),
        description: `remove netloom:${intent.id} from ${chains} (${table}) in ${nsLabel(ns.target)}`,
      });
    }
    ns.iptables.rules = ns.iptables.rules.filter((r) => !tagged.includes(r));
    sysctls.push(...releaseLoopback(ns, tagged, nftTagged));
  }
  if (actions.length === 0) throw new ProtocolError('not_found', `no netloom rule is tagged netloom:${intent.id}`, { path: `${at}.id` });
  // route_localnet off before its guard goes (the undo puts the guard back first).
  return { actions: [...sysctls, ...actions] };
}
