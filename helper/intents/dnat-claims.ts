import type { IntentOf } from '../../protocol/src/intents.js';
import { iptablesForm } from '../firewall/form-iptables.js';
import { nsFirewall } from '../firewall/ns-firewall.js';
import type { Match, RuleForm } from '../firewall/rule-form.js';
import type { NsState } from './context.js';

/**
 * Which host ports the DNATs of a namespace already catch — every source's (iptables as the plan
 * sees it, and native nftables), read through the one rule form, plus the mappings this plan adds
 * to netloom's nftables table. A DNAT's own matches count (a jump's conditions do not): a second
 * DNAT for the same protocol and port would never see a packet.
 */
export interface DnatClaim {
  proto: string;
  lo: number;
  hi: number;
  /** One host address, or null for every one. */
  hostIp: string | null;
  /** Who made it and where, for the conflict's message. */
  owner: string;
  where: string;
}

function claimsOfForm(f: RuleForm, owner: string, where: string): DnatClaim[] {
  if (f.verdict?.kind !== 'dnat') return [];
  const cmps = f.matches.filter((m): m is Extract<Match, { kind: 'cmp' }> => m.kind === 'cmp' && m.keys.length === 1);
  // "everything but…" rules (`! -d 127.0.0.0/8`): too clever to judge here.
  if (cmps.some((m) => m.negated && m.keys[0] === 'daddr')) return [];
  const proto = cmps.find((m) => !m.negated && m.keys[0] === 'l4proto')?.elements[0];
  const ports = cmps.find((m) => !m.negated && m.keys[0] === 'dport')?.elements ?? [];
  const host = cmps.find((m) => !m.negated && m.keys[0] === 'daddr')?.elements;
  const hostIp = host?.length === 1 && host[0]?.kind === 'prefix' && /\/(32|128)$/.test(host[0].value) ? host[0].value.replace(/\/\d+$/, '') : null;
  if (proto?.kind !== 'value') return [];
  return ports.flatMap((e) => {
    if (e.kind === 'value') return [{ proto: proto.value, lo: Number(e.value), hi: Number(e.value), hostIp, owner, where }];
    if (e.kind === 'range') return [{ proto: proto.value, lo: Number(e.from), hi: Number(e.to), hostIp, owner, where }];
    return [];
  });
}

const OWNER_OF_CHAIN = (chain: string): string => (chain.startsWith('NETLOOM-') ? 'netloom' : chain.startsWith('DOCKER') ? 'Docker' : `chain ${chain}`);

export function dnatClaims(ns: NsState): DnatClaim[] {
  const out: DnatClaim[] = [];
  for (const r of ns.iptables?.rules ?? []) {
    if (r.table === 'nat') out.push(...claimsOfForm(iptablesForm(r.spec), OWNER_OF_CHAIN(r.chain), `-A ${r.chain} ${r.spec}`));
  }
  const lists = ns.firewall?.lists;
  if (lists) {
    const index = nsFirewall({ namespaces: [], rules: lists.rules, chains: lists.chains, sets: lists.sets }, ns.target.id);
    // iptables rules come from ns.iptables (what iptables-save shows, this plan's changes included).
    for (const r of lists.rules.filter((x) => x.backend === 'nftables')) {
      out.push(...claimsOfForm(index.form(r), r.owner === 'netloom' ? 'netloom' : `${r.owner} (nftables ${r.family} ${r.table})`, `${r.chain}: ${r.spec}`));
    }
  }
  for (const c of ns.firewall?.planned ?? []) out.push(c);
  return out;
}

export function clashingClaim(ns: NsState, p: IntentOf<'portmap.add'>): DnatClaim | undefined {
  const [lo, hi] = [p.hostPort, p.hostPortEnd ?? p.hostPort];
  const mine = p.hostIp !== undefined && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? p.hostIp : null;
  return dnatClaims(ns).find((c) => c.proto === p.proto && c.lo <= hi && c.hi >= lo && (c.hostIp === null || mine === null || c.hostIp === mine));
}
