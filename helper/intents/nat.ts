import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { Action, BuildEnv, BuildResult, IptablesAction, SysctlAction } from './actions.js';
import type { NsState } from './context.js';
import { nsLabel, resolveNs } from './actions.js';
import { NETLOOM_CHAINS, hasTag } from './netloom-chains.js';
import type { NetloomChain, NetloomTable } from './netloom-chains.js';
import { addRulesActions, masqueradeRules, portSpans, portmapRules } from './nat-rules.js';
import { hairpinActions } from './hairpin.js';
import { loopbackAccess, releaseLoopback } from './localnet.js';

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
  // 127.0.0.1 on this host reaching the target (issue 15): route_localnet on one device, guarded.
  const loopback = loopbackAccess(ns, intent, id, portSpans(intent).targetPorts);
  const hairpin = hairpinActions(ns, intent.targetIp);
  // The guard is in place before route_localnet goes on (and the undo turns it off before dropping the guard).
  const actions: Action[] = [...hairpin.actions, ...addRulesActions(ns, [...portmapRules(intent, id), ...loopback.rules], what, at), ...loopback.sysctl];
  return { actions, ids: [id], notes: [...loopback.notes, ...hairpin.notes] };
}

/** Deletes exactly the rules tagged `netloom:<id>` (by their spec, with `-D`, atomically per table); the undo appends them again. */
export function buildRuleRemove(intent: IntentOf<'rule.remove'>, env: BuildEnv, at: string): BuildResult {
  const candidates = intent.ns !== undefined ? [resolveNs(env, intent.ns, `${at}.ns`)] : env.state.namespaces;
  const actions: IptablesAction[] = [];
  const sysctls: SysctlAction[] = [];
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
    sysctls.push(...releaseLoopback(ns, tagged));
  }
  if (actions.length === 0) throw new ProtocolError('not_found', `no netloom rule is tagged netloom:${intent.id}`, { path: `${at}.id` });
  // route_localnet off before its guard goes (the undo puts the guard back first).
  return { actions: [...sysctls, ...actions] };
}
