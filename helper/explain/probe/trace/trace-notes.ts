import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import type { NetIndex } from '../../net-index.js';
import { nsName } from '../../net-index.js';

/**
 * What a trace cannot see, said rather than guessed: x_tables (legacy iptables) is not nftables,
 * so its rules never show in `nft monitor trace` — a packet they drop just stops being traced.
 * Named per traced namespace that has legacy rules, or a legacy chain whose policy drops.
 */
export function legacyNotes(snapshot: Snapshot, idx: NetIndex, namespaces: readonly string[]): string[] {
  const out: string[] = [];
  const isLegacy = (b: string | undefined): boolean => b === 'legacy' || (b === undefined && snapshot.host.iptables === 'legacy');
  for (const ns of namespaces) {
    const chains = new Set<string>();
    for (const r of snapshot.rules) if (r.ns === ns && isLegacy(r.backend)) chains.add(`${r.family === 'ip6' ? 'ip6tables ' : ''}${r.table} ${r.chain}`);
    for (const c of snapshot.chains ?? []) if (c.ns === ns && isLegacy(c.backend) && (c.policy ?? '').toUpperCase() === 'DROP') chains.add(`${c.family === 'ip6' ? 'ip6tables ' : ''}${c.table} ${c.chain} (policy DROP)`);
    if (chains.size === 0) continue;
    const list = [...chains];
    out.push(`legacy iptables is not traced: netloom cannot confirm what the legacy rules of ${nsName(idx, ns)} (${list.slice(0, 4).join(', ')}${list.length > 4 ? ', …' : ''}) did to the probe — a packet they drop just stops showing in the trace`);
  }
  return out;
}
