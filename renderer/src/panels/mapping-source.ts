import type { FirewallBackend, PortMapping, Snapshot } from '../../../protocol/src/index.js';
import { iptablesBaseChain } from './rules/base-chains.js';
import { SOURCE_LABEL } from './rules/source-labels.js';

/**
 * Which firewall source and table hold a mapping's DNAT: "nftables table ip docker-bridges",
 * "iptables-nft, nat table". The snapshot names the table of an nftables mapping; an iptables
 * mapping names only its chains, so its source is the one that has its own (non built-in)
 * chains — Docker's DOCKER, netloom's NETLOOM-PREROUTING — or, with built-in chains only, the
 * one source with a DNAT (or REDIRECT) in them. null: it cannot tell.
 */
export function mappingSource(s: Snapshot, pm: PortMapping): { text: string; backend: FirewallBackend | null } {
  if (pm.backend === 'nftables') return { text: `nftables table ${pm.table ?? '(unnamed)'}`, backend: 'nftables' };
  const backend = pm.backend ?? iptablesSource(s, pm);
  return { text: `${backend ? SOURCE_LABEL[backend] : 'iptables'}, nat table`, backend };
}

function iptablesSource(s: Snapshot, pm: PortMapping): FirewallBackend | null {
  const nat = (s.chains ?? []).filter((c) => c.ns === pm.ns && c.table === 'nat' && c.backend !== undefined && c.backend !== 'nftables' && pm.chains.includes(c.chain));
  const own = nat.filter((c) => iptablesBaseChain('nat', c.chain) === null);
  let from = new Set((own.length ? own : nat).map((c) => c.backend));
  if (from.size > 1) {
    const dnat = (b: FirewallBackend | undefined) => s.rules.some((r) => r.ns === pm.ns && r.table === 'nat' && r.backend === b && pm.chains.includes(r.chain) && (r.target === 'DNAT' || r.target === 'REDIRECT'));
    from = new Set([...from].filter(dnat));
  }
  const [only] = from;
  return from.size === 1 && only !== undefined ? only : null;
}
