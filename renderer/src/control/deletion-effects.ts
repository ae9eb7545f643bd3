import type { Interface, Namespace, Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';

const where = (s: Snapshot, i: Interface) => {
  const ns = s.namespaces.find((n) => n.id === i.ns);
  return `${i.name} in ${ns ? namespaceName(ns) : i.ns}`;
};

/** What else disappears when an interface is deleted (the kernel's rules, not a guess). */
export function interfaceDeletionEffects(s: Snapshot, iface: Interface): string[] {
  const out: string[] = [];
  const peer = iface.peer ? s.interfaces.find((i) => i.id === iface.peer) : undefined;
  // Deleting one end of a veth pair always deletes the other.
  if (iface.kind === 'veth') out.push(peer ? `its veth peer ${where(s, peer)}` : 'its veth peer');
  if (iface.kind === 'bridge') for (const p of s.interfaces.filter((i) => i.master === iface.id)) out.push(`port ${where(s, p)} is unplugged (not deleted)`);
  for (const a of iface.addresses) out.push(`address ${a}`);
  const routes = s.routes.filter((r) => r.dev === iface.id && r.table !== 'local').length;
  if (routes) out.push(`${routes} route${routes === 1 ? '' : 's'} through it`);
  return out;
}

/** Deleting a namespace deletes every interface in it; a veth end takes its peer outside along. */
export function namespaceDeletionEffects(s: Snapshot, ns: Namespace): string[] {
  const out: string[] = [];
  for (const i of s.interfaces.filter((x) => x.ns === ns.id && x.kind !== 'loopback')) {
    const peer = i.peer ? s.interfaces.find((x) => x.id === i.peer) : undefined;
    out.push(`${i.kind} ${i.name}${i.addresses.length ? ` (${i.addresses.join(', ')})` : ''}${peer && peer.ns !== ns.id ? ` — and its peer ${where(s, peer)}` : ''}`);
  }
  const rules = s.rules.filter((r) => r.ns === ns.id).length;
  if (rules) out.push(`${rules} iptables rule${rules === 1 ? '' : 's'} of this namespace`);
  return out;
}

/** Processes inside keep a namespace (and its interfaces) alive after `ip netns delete`: only the name goes. */
export function namespaceDeletionNote(ns: Namespace): string | undefined {
  const n = ns.pids.length;
  if (n === 0) return undefined;
  return `${n} process${n === 1 ? ' runs' : 'es run'} in it: the namespace and its interfaces live on until ${n === 1 ? 'it exits' : 'they exit'}; only the name goes now.`;
}
