import type { FirewallHook } from '../../protocol/src/firewall.js';
import type { PacketView } from '../firewall/evaluate.js';
import { nsFirewall } from '../firewall/ns-firewall.js';
import { walkChain } from '../firewall/walk.js';
import { NETLOOM_TABLE } from '../firewall/writer-choice.js';
import type { FirewallState } from './context.js';

/**
 * Before a plan runs: would another table at the same hook drop what netloom's rules accept? An
 * accept ends only its own base chain; a drop in any other is final — so a port mapping can be
 * "made" and still never work (podman issue 24486). Only a certain drop is reported: a rule
 * netloom cannot evaluate is no reason to warn.
 */
export interface Traffic {
  proto: 'tcp' | 'udp' | 'sctp' | 'icmp';
  /** null: any source (a client elsewhere). */
  src: string | null;
  dst: string;
  dport: number | null;
}

const SOURCE = { legacy: 'legacy iptables', 'nft-compat': 'iptables', nftables: 'nftables' } as const;

export function dropWarnings(fw: FirewallState | undefined, nsId: string, what: string, t: Traffic, hook: FirewallHook = 'forward', iptablesBackend = 'nft-compat'): string[] {
  const lists = fw?.lists;
  if (!fw || !lists) return [];
  const index = nsFirewall({ namespaces: [], rules: lists.rules, chains: lists.chains, sets: lists.sets }, nsId);
  const family = t.dst.includes(':') ? 6 : 4;
  const view: PacketView = {
    family,
    src: t.src ?? (family === 4 ? '198.51.100.1' : '2001:db8::1'),
    dst: t.dst,
    proto: t.proto === 'sctp' ? 'tcp' : t.proto,
    sport: null,
    dport: t.dport,
    ct: 'NEW',
    in: null,
    out: null,
    mark: 0,
    ctmark: 0,
    dnat: true,
    snat: false,
    isLocal: () => false,
  };
  const out: string[] = [];
  for (const b of index.baseChains(hook, family)) {
    if (b.type !== 'filter') continue;
    const ours = fw.writer === 'nftables' ? b.ref.backend === 'nftables' && b.ref.family === NETLOOM_TABLE.family && b.ref.table === NETLOOM_TABLE.name : b.ref.backend === iptablesBackend && b.ref.table === 'filter' && b.chain === 'FORWARD';
    if (ours) continue;
    const v = walkChain(index, b.ref, b.chain, view, b.policy);
    if (v.kind !== 'drop' && v.kind !== 'reject') continue;
    const owner = lists.tables.find((x) => x.backend === b.ref.backend && x.family === b.ref.family && x.name === b.ref.table)?.owner ?? 'user';
    const where = b.ref.backend === 'nftables' ? `the nftables table ${b.ref.family} ${b.ref.table}${owner !== 'user' ? ` (${owner}'s)` : ''}, chain ${b.chain}` : `${SOURCE[b.ref.backend]} ${b.ref.table} ${b.chain}`;
    const by = v.rule !== null ? `"${v.rule.spec}"` : `its policy ${v.kind}`;
    out.push(`${where} drops ${what} at the ${hook} hook (${by}): netloom's accept ends only its own chain, so this will not work until that table accepts it too`);
  }
  return out;
}
