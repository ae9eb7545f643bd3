import type { Intent, Snapshot } from '../../../protocol/src/index.js';
import { nsRefOf } from './ns-ref.js';

export type DropAction = { kind: 'veth'; aNs: string; bNs: string } | { kind: 'portmap'; targetIp: string } | { kind: 'plug'; intent: Intent } | { kind: 'refuse'; why: string } | null;

/**
 * A drag on the canvas from `fromId` that ended over `toIds` (nodes under the pointer,
 * topmost first) → what to do: namespace onto namespace opens the veth form for the two;
 * an interface onto a bridge of its own namespace plugs it in (link.set master); the host
 * namespace dropped right on an interface (not its box) of another namespace that has an
 * IPv4 address opens the port-mapping form aimed at that address.
 */
export function connectDrop(s: Snapshot, fromId: string, toIds: string[]): DropAction {
  const fromNs = s.namespaces.find((n) => n.id === fromId);
  if (fromNs?.kind === 'host') {
    const onIface = s.interfaces.find((i) => i.id === toIds[0]);
    const v4 = onIface?.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+\//.test(a));
    if (onIface && onIface.ns !== fromNs.id && v4) return { kind: 'portmap', targetIp: v4.split('/')[0] ?? v4 };
  }
  if (fromNs) {
    // Over an interface inside a box counts as the box.
    const to = toIds.map((id) => s.namespaces.find((n) => n.id === id) ?? s.namespaces.find((n) => n.id === s.interfaces.find((i) => i.id === id)?.ns)).find((n) => n !== undefined);
    if (!to) return null;
    return { kind: 'veth', aNs: nsRefOf(s, fromNs.id) ?? '', bNs: nsRefOf(s, to.id) ?? '' };
  }
  const iface = s.interfaces.find((i) => i.id === fromId);
  if (!iface) return null;
  const bridge = toIds.map((id) => s.interfaces.find((i) => i.id === id)).find((i) => i?.kind === 'bridge');
  if (!bridge) return null;
  if (bridge.ns !== iface.ns) return { kind: 'refuse', why: `${iface.name} and bridge ${bridge.name} are in different namespaces: a port must be in its bridge's namespace.` };
  if (iface.master === bridge.id) return { kind: 'refuse', why: `${iface.name} is already a port of ${bridge.name}.` };
  const ns = nsRefOf(s, iface.ns);
  return { kind: 'plug', intent: { op: 'link.set', name: iface.name, ...(ns !== undefined ? { ns } : {}), master: bridge.name } };
}
