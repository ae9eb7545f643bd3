import { ProtocolError } from '../../protocol/src/errors.js';
import type { FirewallCounters } from '../../protocol/src/firewall.js';
import { firewallLists } from '../firewall/assemble.js';
import { NO_HINTS, readFirewall } from '../firewall/read.js';
import type { RequestHandler } from './handler.js';

/**
 * `firewall.counters`: every source of one namespace read now, reduced to its figures. The live
 * snapshot changes only when rules change (counters move with every packet), so the rules view
 * asks for these while it is open.
 */
export const firewallCounters: RequestHandler<'firewall.counters'> = {
  kind: 'request',
  run: async (params, call) => {
    const target = await call.ctx.resolveTarget(params.ns, call.signal);
    if (!target) throw new ProtocolError('not_found', `namespace ${params.ns} is not on this host (any more)`, { path: 'ns' });
    const lists = firewallLists(await readFirewall(call.ctx.exec, target, NO_HINTS, call.signal), params.ns);
    const place = new Map<string, number>();
    const out: FirewallCounters = { takenAt: new Date().toISOString(), rules: [], chains: [] };
    for (const r of lists.rules) {
      const where = { backend: r.backend ?? 'legacy', family: r.family ?? 'ip', table: r.table, chain: r.chain };
      const key = JSON.stringify(where);
      const index = place.get(key) ?? 0;
      place.set(key, index + 1);
      out.rules.push({ ...where, index, ...(r.handle !== undefined ? { handle: r.handle } : {}), packets: r.packets, bytes: r.bytes });
    }
    for (const c of lists.chains) out.chains.push({ backend: c.backend ?? 'legacy', family: c.family ?? 'ip', table: c.table, chain: c.chain, packets: c.packets, bytes: c.bytes });
    return out;
  },
};
