import type { Intent, Interface, Namespace, Snapshot } from '../../../protocol/src/index.js';

/**
 * The picture with the plan waiting to be applied drawn in (issue 15): namespaces, bridges and
 * veth ends it creates appear (dashed), and interfaces it plugs, addresses or brings up show
 * that change (dashed too) — so a person sees what Apply will make before it runs. Pure; the
 * snapshot itself is not touched.
 */
export interface PendingPicture {
  snapshot: Snapshot;
  /** Node and edge ids of what the plan adds or changes. */
  pending: ReadonlySet<string>;
}

/** The id a namespace the plan creates has on the canvas until it exists. */
export const pendingNsId = (name: string): string => `pending:${name}`;
/** The id an interface the plan creates has on the canvas until it exists. */
export const pendingIfaceId = (nsId: string, name: string): string => `${nsId}/pending:${name}`;

export function withPending(s: Snapshot, intents: readonly Intent[]): PendingPicture {
  if (intents.length === 0) return { snapshot: s, pending: new Set() };
  const namespaces = [...s.namespaces];
  const interfaces = [...s.interfaces];
  const pending = new Set<string>();
  const host = s.namespaces.find((n) => n.kind === 'host');
  /** An intent's `ns` (nothing = host, a /run/netns name, an id) → the namespace's id on the canvas. */
  const nsId = (ref: string | undefined): string | undefined => {
    if (ref === undefined) return host?.id;
    return namespaces.find((n) => n.id === ref || n.name === ref)?.id;
  };
  const find = (ns: string | undefined, name: string): number => interfaces.findIndex((i) => i.ns === ns && i.name === name);
  const addIface = (ns: string, name: string, kind: Interface['kind']): Interface => {
    const iface: Interface = { id: pendingIfaceId(ns, name), ns, ifindex: 0, name, kind, mac: null, mtu: 1500, up: false, operstate: 'DOWN', addresses: [], master: null, peer: null, stats: null };
    interfaces.push(iface);
    pending.add(iface.id);
    return iface;
  };
  /** Changes an interface the plan touches; an existing one is copied, and marked as changed. */
  const change = (ns: string | undefined, name: string, patch: (i: Interface) => Partial<Interface>): void => {
    const k = find(ns, name);
    const old = interfaces[k];
    if (!old) return;
    interfaces[k] = { ...old, ...patch(old) };
    pending.add(old.id);
  };
  for (const i of intents) {
    switch (i.op) {
      case 'netns.create': {
        const ns: Namespace = { id: pendingNsId(i.name), inode: 0, name: i.name, kind: 'named', pids: [], container: null, ipForward: false };
        namespaces.push(ns);
        pending.add(ns.id);
        addIface(ns.id, 'lo', 'loopback');
        break;
      }
      case 'bridge.create': {
        const ns = nsId(i.ns);
        if (ns) addIface(ns, i.name, 'bridge');
        break;
      }
      case 'veth.create': {
        const [na, nb] = [nsId(i.a.ns), nsId(i.b.ns)];
        if (!na || !nb) break;
        const a = addIface(na, i.a.name, 'veth');
        const b = addIface(nb, i.b.name, 'veth');
        a.peer = b.id;
        b.peer = a.id;
        break;
      }
      case 'link.set': {
        const ns = nsId(i.ns);
        const bridge = i.master ? interfaces.find((x) => x.ns === ns && x.name === i.master) : undefined;
        change(ns, i.name, () => ({
          ...(i.up !== undefined ? { up: i.up, operstate: i.up ? 'UNKNOWN' : 'DOWN' } : {}),
          ...(i.master !== undefined ? { master: bridge?.id ?? null } : {}),
          ...(i.rename !== undefined ? { name: i.rename } : {}),
        }));
        break;
      }
      case 'addr.add':
        change(nsId(i.ns), i.dev, (x) => ({ addresses: [...x.addresses, i.cidr] }));
        break;
      default:
        break;
    }
  }
  // The edges the plan makes: a new interface's, and a port it plugs. (An edge is named after either end.)
  const real = new Map(s.interfaces.map((i) => [i.id, i]));
  for (const i of interfaces) {
    if (!pending.has(i.id)) continue;
    const fresh = !real.has(i.id);
    if (i.master && (fresh || real.get(i.id)?.master !== i.master)) pending.add(`port:${i.id}`);
    if (i.peer && fresh) pending.add(`veth:${i.id}`).add(`veth:${i.peer}`);
  }
  return { snapshot: { ...s, namespaces, interfaces }, pending };
}

/**
 * For a node that has just appeared, the pending nodes it may have been drawn as before Apply (so
 * it keeps its place): a namespace by name; an interface by name, in its namespace or in that
 * namespace's pending twin.
 */
export function pendingTwins(s: Snapshot, id: string): string[] {
  const ns = s.namespaces.find((n) => n.id === id);
  if (ns) return ns.name ? [pendingNsId(ns.name)] : [];
  const iface = s.interfaces.find((i) => i.id === id);
  if (!iface) return [];
  const owner = s.namespaces.find((n) => n.id === iface.ns);
  return [pendingIfaceId(iface.ns, iface.name), ...(owner?.name ? [pendingIfaceId(pendingNsId(owner.name), iface.name)] : [])];
}
