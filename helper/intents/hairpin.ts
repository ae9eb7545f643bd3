import { cidrContains } from '../discover/ipv4-match.js';
import type { NsState } from './context.js';
import type { IpAction } from './actions.js';
import { nsLabel } from './actions.js';

/**
 * Hairpin for a port mapping whose target sits behind a Linux bridge. With br_netfilter
 * (bridge-nf-call-iptables=1, as on every Docker host) the DNAT happens while the frame is still
 * being bridged, and the rewritten frame is bridged straight back out of the port it came in on —
 * which a bridge refuses unless that port is in hairpin mode (Docker does the same with
 * --userland-proxy=false). So every port of the bridge whose subnet holds the target gets
 * hairpin on; the undo turns off exactly the ports that were off.
 */
export function hairpinActions(ns: NsState, targetIp: string): { actions: IpAction[]; notes: string[] } {
  const bridges = ns.links.filter((l) => l.kind === 'bridge' && l.addresses.some((a) => cidrContains(a, targetIp)));
  const actions: IpAction[] = [];
  const ports: string[] = [];
  for (const bridge of bridges) {
    for (const port of ns.links.filter((l) => l.master === bridge.name && l.hairpin !== true)) {
      const set = (on: boolean): string[] => ['link', 'set', 'dev', port.name, 'type', 'bridge_slave', 'hairpin', on ? 'on' : 'off'];
      actions.push({ kind: 'ip', ns: ns.target, args: set(true), undo: set(false), description: `hairpin mode on for ${port.name} (a port of ${bridge.name}) in ${nsLabel(ns.target)}` });
      port.hairpin = true;
      ports.push(port.name);
    }
  }
  const notes = ports.length ? [`turns hairpin mode on for bridge port${ports.length > 1 ? 's' : ''} ${ports.join(', ')} so ${targetIp} can reach its own mapped port; undo turns it off`] : [];
  return { actions, notes };
}
