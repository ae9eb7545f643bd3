import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { Action, BuildEnv, BuildResult } from './actions.js';
import { nsLabel, resolveNs } from './actions.js';
import { NETLOOM_CHAINS, hasTag } from './netloom-chains.js';
import type { NetloomChain, NetloomTable } from './netloom-chains.js';
import { addRulesActions, isLoopbackIp, masqueradeRules, portmapRules } from './nat-rules.js';
import { hairpinActions } from './hairpin.js';
import { clashingClaim } from './dnat-claims.js';
import { nftAdd, nftRemove, usesNftables } from './nft-actions.js';
import { nftMasqueradeRules, nftPortmapRules } from './nft-rules.js';
import { dropWarnings } from './firewall-warnings.js';

export const ROUTE_LOCALNET = 'net.ipv4.conf.all.route_localnet';

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
  const actions: Action[] = [];
  const notes: string[] = [];
  // The kernel routes 127.0.0.0/8 packets off the loopback only with route_localnet (RFC 1122 "martians").
  if (isLoopbackIp(intent.hostIp) && intent.localAccess !== false && ns.routeLocalnet !== true) {
    const previous = ns.routeLocalnet === null ? null : '0';
    actions.push({ kind: 'sysctl', ns: ns.target, key: ROUTE_LOCALNET, value: '1', previous, description: `let 127.0.0.1 be routed to ${intent.targetIp} (route_localnet) in ${nsLabel(ns.target)}` });
    notes.push(`sets ${ROUTE_LOCALNET}=1 in ${nsLabel(ns.target)} (was ${previous ?? 'unknown'}); undo restores it`);
    ns.routeLocalnet = true;
  }
  const hairpin = hairpinActions(ns, intent.targetIp);
  if (usesNftables(ns) && ns.firewall) ns.firewall.planned = [...(ns.firewall.planned ?? []), { proto: intent.proto, lo: intent.hostPort, hi: intent.hostPortEnd ?? intent.hostPort, hostIp: intent.hostIp ?? null, owner: 'netloom', where: `inet netloom [netloom:${id}]` }];
  actions.push(...hairpin.actions, ...(usesNftables(ns) ? [nftAdd(ns, nftPortmapRules(intent, id, at), what, at)] : addRulesActions(ns, portmapRules(intent, id), what, at)));
  notes.push(...hairpin.notes);
  const traffic = `${intent.proto} to ${intent.targetIp}:${intent.targetPort} (the mapping's forwarded traffic)`;
  notes.push(...dropWarnings(ns.firewall, ns.target.id, traffic, { proto: intent.proto, src: null, dst: intent.targetIp, dport: intent.targetPort }, 'forward', ns.firewall?.iptablesBackend).map((w) => `warning: ${w}`));
  return { actions, ids: [id], notes };
}

/** Deletes exactly the rules tagged `netloom:<id>` (by their spec, with `-D`, atomically per table); the undo appends them again. */
export function buildRuleRemove(intent: IntentOf<'rule.remove'>, env: BuildEnv, at: string): BuildResult {
  const candidates = intent.ns !== undefined ? [resolveNs(env, intent.ns, `${at}.ns`)] : env.state.namespaces;
  const actions: Action[] = [];
  for (const ns of candidates) {
    const fromNft = nftRemove(ns, intent.id, `remove netloom:${intent.id} from netloom's nftables table in ${nsLabel(ns.target)}`);
    if (fromNft) actions.push(fromNft);
    if (ns.iptables === null) continue;
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
  }
  if (actions.length === 0) throw new ProtocolError('not_found', `no netloom rule is tagged netloom:${intent.id}`, { path: `${at}.id` });
  return { actions };
}
