import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { NsState } from './context.js';
import type { IptablesAction } from './actions.js';
import { nsLabel } from './actions.js';
import type { NetloomChain } from './netloom-chains.js';
import { NETLOOM_CHAINS, hasChain, hasJump, jumpDeleteLine, jumpInsertLine, jumpSpec, ruleTag } from './netloom-chains.js';

/**
 * iptables-restore lines for netloom's rules, written in iptables-save's own order
 * (`-s -d -i -o -p`, then matches, then the comment, then the target) so that what we write is
 * what `iptables-save` prints back.
 */
export interface TaggedRule {
  chain: NetloomChain;
  spec: string;
}

/** Destination match of a port mapping: one host address, or every local address. */
function hostMatch(hostIp: string | undefined, proto: string): { pre: string; post: string } {
  const one = hostIp !== undefined && hostIp !== '0.0.0.0';
  return one ? { pre: `-d ${hostIp}/32 -p ${proto}`, post: '' } : { pre: `-p ${proto}`, post: '-m addrtype --dst-type LOCAL ' };
}

export function isLoopbackIp(ip: string | undefined): boolean {
  return ip !== undefined && ip.startsWith('127.');
}

/**
 * A single port, or a range: `--dport A:B` and DNAT's shifted range `IP:T-T'/A` (iptables ≥ 1.8.6,
 * Linux ≥ 5.7), so host port P goes to T + (P - A) rather than to any port of the range.
 */
export function portSpans(p: IntentOf<'portmap.add'>): { hostPorts: string; targetPorts: string; to: string } {
  const span = (p.hostPortEnd ?? p.hostPort) - p.hostPort;
  if (span === 0) return { hostPorts: String(p.hostPort), targetPorts: String(p.targetPort), to: `${p.targetIp}:${p.targetPort}` };
  const last = p.targetPort + span;
  return { hostPorts: `${p.hostPort}:${p.hostPort + span}`, targetPorts: `${p.targetPort}:${last}`, to: `${p.targetIp}:${p.targetPort}-${last}/${p.hostPort}` };
}

/** DNAT in PREROUTING (other hosts) and OUTPUT (this host), FORWARD accept both ways, hairpin MASQUERADE; 127.0.0.1's part is localnet.ts's. */
export function portmapRules(p: IntentOf<'portmap.add'>, id: string): TaggedRule[] {
  const tag = ruleTag(id);
  const { pre, post } = hostMatch(p.hostIp, p.proto);
  const { hostPorts, targetPorts, to } = portSpans(p);
  const target = `${p.targetIp}/32`;
  const dnat = `${pre} ${post}-m ${p.proto} --dport ${hostPorts} ${tag} -j DNAT --to-destination ${to}`;
  const rules: TaggedRule[] = [{ chain: 'NETLOOM-PREROUTING', spec: dnat }];
  if (p.localAccess !== false) rules.push({ chain: 'NETLOOM-OUTPUT', spec: dnat });
  // Hairpin: the target reaching its own mapped port must see the host as the source.
  rules.push({ chain: 'NETLOOM-POSTROUTING', spec: `-s ${target} -d ${target} -p ${p.proto} -m ${p.proto} --dport ${targetPorts} ${tag} -j MASQUERADE` });
  rules.push({ chain: 'NETLOOM-FORWARD', spec: `-d ${target} -p ${p.proto} -m ${p.proto} --dport ${targetPorts} ${tag} -j ACCEPT` });
  // Replies, for hosts whose FORWARD policy is DROP (Docker sets it).
  rules.push({
    chain: 'NETLOOM-FORWARD',
    spec: `-s ${target} -p ${p.proto} -m ${p.proto} --sport ${targetPorts} -m conntrack --ctstate RELATED,ESTABLISHED ${tag} -j ACCEPT`,
  });
  return rules;
}

export function masqueradeRules(m: IntentOf<'nat.masquerade.add'>, id: string): TaggedRule[] {
  const parts = [`-s ${m.source}`];
  if (m.notDestination !== undefined) parts.push(`! -d ${m.notDestination}`);
  if (m.outDev !== undefined) parts.push(`-o ${m.outDev}`);
  return [{ chain: 'NETLOOM-POSTROUTING', spec: `${parts.join(' ')} ${ruleTag(id)} -j MASQUERADE` }];
}

/**
 * iptables actions (one per table) adding these rules in `ns`: the chain and its jump are
 * created first when missing — `:CHAIN` with --noflush would flush an existing chain, so it is
 * declared only when the chain is absent — and removed again by the undo.
 */
export function addRulesActions(ns: NsState, rules: TaggedRule[], description: string, at: string): IptablesAction[] {
  const ipt = ns.iptables;
  if (ipt === null) throw new ProtocolError('unavailable', `the iptables rules of ${nsLabel(ns.target)} could not be read`, { path: at });
  const byTable = new Map<string, IptablesAction>();
  for (const rule of rules) {
    const { table, builtin } = NETLOOM_CHAINS[rule.chain];
    let action = byTable.get(table);
    if (!action) {
      action = { kind: 'iptables', ns: ns.target, table, declare: [], lines: [], undoLines: [], description };
      byTable.set(table, action);
    }
    const post: string[] = [];
    if (!hasChain(ipt, table, rule.chain)) {
      action.declare.push(`:${rule.chain} - [0:0]`);
      (ipt.chains[table] ??= []).push(rule.chain);
      post.push(`-X ${rule.chain}`);
    }
    if (!hasJump(ipt, rule.chain)) {
      action.lines.push(jumpInsertLine(rule.chain));
      ipt.rules.unshift({ table, chain: builtin, spec: jumpSpec(rule.chain) });
      post.unshift(jumpDeleteLine(rule.chain));
    }
    action.lines.push(`-A ${rule.chain} ${rule.spec}`);
    ipt.rules.push({ table, chain: rule.chain, spec: rule.spec });
    // Undo runs in reverse: this rule's delete first, then the jump and chain it needed.
    action.undoLines.unshift(`-D ${rule.chain} ${rule.spec}`, ...post);
  }
  return [...byTable.values()];
}
