import type { Namespace, Snapshot } from '../../../protocol/src/index.js';

/**
 * How an intent names a namespace (DESIGN §5): left out for the host's, its /run/netns name
 * when it has one, else its id "ns:<inode>" (containers, process namespaces).
 */
export function nsRef(ns: Namespace | undefined): string | undefined {
  if (!ns || ns.kind === 'host') return undefined;
  if (ns.kind === 'named' && ns.name) return ns.name;
  return ns.id;
}

export function nsRefOf(snapshot: Snapshot, nsId: string): string | undefined {
  return nsRef(snapshot.namespaces.find((n) => n.id === nsId));
}

/** The label of a ref in lists and confirmations. */
export const refLabel = (ref: string | undefined): string => ref ?? 'host';
