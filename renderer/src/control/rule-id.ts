import type { PortMapping, Snapshot } from '../../../protocol/src/index.js';

/**
 * The netloom rule id behind a port mapping netloom made. netloom tags every rule it writes
 * `-m comment --comment "netloom:<id>"` (DESIGN §6); `rule.remove {id}` needs that id, and the
 * snapshot's PortMapping does not carry it, so it is read back from the DNAT rule in the
 * mapping's namespace: same protocol, host port, host address and destination.
 * iptables-save prints the comment with or without quotes, depending on the backend.
 */
const TAG = /--comment "?netloom:([0-9a-f]{6,16})"?(?:\s|$)/;

export function netloomRuleId(snapshot: Snapshot, pm: PortMapping): string | null {
  const to = new RegExp(`--to-destination ${escape(pm.targetIp)}${pm.targetPort !== null ? `:${pm.targetPort}` : ''}(\\s|$)`);
  const port = new RegExp(`--dport ${pm.hostPort}(\\s|$)`);
  const proto = new RegExp(`-p ${pm.proto}(\\s|$)`);
  const oneHost = pm.hostIp !== null && pm.hostIp !== '0.0.0.0';
  for (const r of snapshot.rules) {
    if (r.ns !== pm.ns || r.table !== 'nat' || !/-j DNAT(\s|$)/.test(r.spec)) continue;
    if (!proto.test(r.spec) || !port.test(r.spec) || !to.test(r.spec)) continue;
    const d = /(?:^|\s)-d (\d+\.\d+\.\d+\.\d+)(?:\/32)?(?:\s|$)/.exec(r.spec)?.[1] ?? null;
    if (oneHost ? d !== pm.hostIp : d !== null) continue;
    const id = TAG.exec(r.spec)?.[1];
    if (id) return id;
  }
  return null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
