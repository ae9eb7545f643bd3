import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { Action, BuildEnv, BuildResult, IptablesAction } from './actions.js';
import type { NsState } from './context.js';
import { nsLabel, resolveNs } from './actions.js';
import { NETLOOM_CHAINS, hasTag } from './netloom-chains.js';
import type { NetloomChain, NetloomTable } from './netloom-chains.js';
import { addRulesActions, isLoopbackIp, masqueradeRules, portmapRules } from './nat-rules.js';
import { hairpinActions } from './hairpin.js';

export const ROUTE_LOCALNET = 'net.ipv4.conf.all.route_localnet';

export function buildMasquerade(intent: IntentOf<'nat.masquerade.add'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const id = env.newId();
  const what = `MASQUERADE ${intent.source}${intent.notDestination ? ` (not to ${intent.notDestination})` : ''}${intent.outDev ? ` out of ${intent.outDev}` : ''} in ${nsLabel(ns.target)} [netloom:${id}]`;
  return { actions: addRulesActions(ns, masqueradeRules(intent, id), what, at), ids: [id] };
}

/**
 * A DNAT already catching this protocol and host port (Docker's, the user's, or netloom's own) —
 * a second one would never see a packet. Rules bound to another single host address do not clash.
 */
export function clashingDnat(ns: NsState, p: IntentOf<'portmap.add'>): { chain: string; spec: string } | undefined {
  const [lo, hi] = [p.hostPort, p.hostPortEnd ?? p.hostPort];
  const overlaps = (spec: string): boolean => {
    const m = /--dport (\d+)(?::(\d+))?(\s|$)/.exec(spec);
    return m !== null && Number(m[1]) <= hi && Number(m[2] ?? m[1]) >= lo;
  };
  const onlyHost = (spec: string): string | null => /(?:^|\s)-d (\d+\.\d+\.\d+\.\d+)(?:\/32)?\s/.exec(spec)?.[1] ?? null;
  const mine = p.hostIp !== undefined && p.hostIp !== '0.0.0.0' ? p.hostIp : null;
  return ns.iptables?.rules.find((r) => {
    if (r.table !== 'nat' || !/-j DNAT(\s|$)/.test(r.spec) || !new RegExp(`-p ${p.proto}(\\s|$)`).test(r.spec) || !overlaps(r.spec)) return false;
    if (/ ! -d /.test(` ${r.spec}`)) return false; // "everything but…" rules: too clever to judge here
    const theirs = onlyHost(r.spec);
    return theirs === null || mine === null || theirs === mine;
  });
}

function portText(p: IntentOf<'portmap.add'>): string {
  return p.hostPortEnd !== undefined && p.hostPortEnd !== p.hostPort ? `${p.hostPort}-${p.hostPortEnd}` : String(p.hostPort);
}

export function buildPortmap(intent: IntentOf<'portmap.add'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const clash = clashingDnat(ns, intent);
  if (clash) {
    const owner = clash.chain.startsWith('NETLOOM-') ? 'netloom' : clash.chain.startsWith('DOCKER') ? 'Docker' : `chain ${clash.chain}`;
    throw new ProtocolError('conflict', `${intent.proto} port ${portText(intent)} is already mapped in ${nsLabel(ns.target)} (by ${owner}: -A ${clash.chain} ${clash.spec})`, {
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
  actions.push(...hairpin.actions, ...addRulesActions(ns, portmapRules(intent, id), what, at));
  notes.push(...hairpin.notes);
  return { actions, ids: [id], notes };
}

/** Deletes exactly the rules tagged `netloom:<id>` (by their spec, with `-D`, atomically per table); the undo appends them again. */
export function buildRuleRemove(intent: IntentOf<'rule.remove'>, env: BuildEnv, at: string): BuildResult {
  const candidates = intent.ns !== undefined ? [resolveNs(env, intent.ns, `${at}.ns`)] : env.state.namespaces;
  const actions: IptablesAction[] = [];
  for (const ns of candidates) {
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
