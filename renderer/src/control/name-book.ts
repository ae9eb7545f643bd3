import type { Intent, Snapshot } from '../../../protocol/src/index.js';
import { nsRef } from './ns-ref.js';

/**
 * The names the dialogs must not reuse (issue 15): namespace names, and interface names per
 * namespace — what the host has now, as the plan waiting to be applied will leave it. A namespace
 * is named by the dialogs' own value: '' for the host, a /run/netns name, or an id "ns:<inode>".
 */
export interface NameBook {
  /** A sentence when `name` is taken by a namespace (or one in the plan), else null. */
  namespaceTaken(name: string): string | null;
  /** A sentence when the namespace `ns` has (or will have) an interface `name`, else null. */
  interfaceTaken(ns: string, name: string): string | null;
  /** Bridges in `ns`, those in the plan included: what a new veth end can be plugged into. */
  bridgesIn(ns: string): string[];
}

interface Names {
  /** Interface name → whether it exists now ('now') or only in the plan ('plan'). */
  ifaces: Map<string, 'now' | 'plan'>;
  bridges: Set<string>;
}

export function nameBook(snapshot: Snapshot | null, intents: readonly Intent[]): NameBook {
  const namespaces = new Map<string, 'now' | 'plan'>();
  const byNs = new Map<string, Names>();
  const names = (ns: string): Names => byNs.get(ns) ?? byNs.set(ns, { ifaces: new Map(), bridges: new Set() }).get(ns)!;
  const refOfId = new Map<string, string>();
  for (const n of snapshot?.namespaces ?? []) {
    const ref = nsRef(n) ?? '';
    refOfId.set(n.id, ref);
    if (n.name) namespaces.set(n.name, 'now');
    names(ref);
  }
  for (const i of snapshot?.interfaces ?? []) {
    const ref = refOfId.get(i.ns);
    if (ref === undefined) continue;
    names(ref).ifaces.set(i.name, 'now');
    if (i.kind === 'bridge') names(ref).bridges.add(i.name);
  }
  // The plan, played in order over what is there now.
  for (const i of intents) {
    if (i.op === 'netns.create') {
      namespaces.set(i.name, 'plan');
      names(i.name).ifaces.set('lo', 'plan');
    } else if (i.op === 'netns.delete') {
      namespaces.delete(i.name);
      byNs.delete(i.name);
    } else if (i.op === 'bridge.create') {
      names(i.ns ?? '').ifaces.set(i.name, 'plan');
      names(i.ns ?? '').bridges.add(i.name);
    } else if (i.op === 'veth.create') {
      for (const end of [i.a, i.b]) names(end.ns ?? '').ifaces.set(end.name, 'plan');
    } else if (i.op === 'link.delete') {
      names(i.ns ?? '').ifaces.delete(i.name);
      names(i.ns ?? '').bridges.delete(i.name);
    } else if (i.op === 'link.set' && i.rename !== undefined) {
      const n = names(i.ns ?? '');
      n.ifaces.delete(i.name);
      n.ifaces.set(i.rename, 'plan');
      if (n.bridges.delete(i.name)) n.bridges.add(i.rename);
    }
  }
  const where = (ns: string) => (ns === '' ? 'the host namespace' : `namespace ${ns}`);
  return {
    namespaceTaken(name) {
      const state = namespaces.get(name);
      return state === undefined ? null : state === 'now' ? `A namespace named ${name} already exists.` : `A namespace named ${name} is already in the plan.`;
    },
    interfaceTaken(ns, name) {
      const state = byNs.get(ns)?.ifaces.get(name);
      return state === undefined ? null : state === 'now' ? `${cap(where(ns))} already has an interface named ${name}.` : `An interface named ${name} in ${where(ns)} is already in the plan.`;
    },
    bridgesIn: (ns) => [...(byNs.get(ns)?.bridges ?? [])].sort(),
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
