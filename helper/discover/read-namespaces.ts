import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import { mapBounded } from './bounded.js';
import type { NsTarget } from './ns-target.js';
import { readAllNamed, type AllNamedRead } from './read-all-named.js';
import { readNamespace, stateFrom, type NamespaceState } from './read-namespace.js';

/** From this many named namespaces on, one `ip -all netns exec` pass beats a spawn per namespace. */
export const ALL_NAMED_THRESHOLD = 8;

/** A failed bulk pass is not fatal: every namespace it should have read is then read on its own. */
async function bulkOrNothing(p: Promise<AllNamedRead>): Promise<AllNamedRead> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return { ip: new Map(), iptables: null, iptablesError: null };
  }
}

/**
 * Reads the given namespaces: named ones in bulk when there are many, the rest (own, unnamed,
 * and any named one the bulk pass missed) one by one with a small bound — all at the same time.
 */
export async function readNamespaces(
  exec: Exec,
  targets: NsTarget[],
  concurrency: number,
  signal?: AbortSignal,
  /** A bulk pass already started (refreshAll starts it before the namespace scan). */
  started?: Promise<AllNamedRead>,
): Promise<NamespaceState[]> {
  const named = targets.filter((t) => !t.own && t.name !== null);
  const bulk = started !== undefined || named.length >= ALL_NAMED_THRESHOLD ? named : [];
  const bulkIds = new Set(bulk.map((t) => t.id));
  const single = targets.filter((t) => !bulkIds.has(t.id));

  const [bulkStates, singleStates] = await Promise.all([
    bulk.length === 0
      ? Promise.resolve([] as NamespaceState[])
      : bulkOrNothing(started ?? readAllNamed(exec, signal)).then(async (all) => {
          const missed: NsTarget[] = [];
          const states: NamespaceState[] = [];
          for (const t of bulk) {
            const ip = all.ip.get(t.name ?? '');
            if (ip === undefined) {
              missed.push(t); // created after the pass began, or ip skipped it
              continue;
            }
            const text = all.iptables?.get(t.name ?? '');
            const iptErr = all.iptablesError ?? (text === undefined ? 'iptables-save printed nothing for this namespace' : null);
            states.push(stateFrom(t.id, { stdout: ip, stderr: '' }, { text: text ?? null, error: text === undefined ? iptErr : null }));
          }
          return [...states, ...(await mapBounded(missed, concurrency, (t) => readNamespace(exec, t, signal)))];
        }),
    mapBounded(single, concurrency, (t) => readNamespace(exec, t, signal)),
  ]);
  return [...bulkStates, ...singleStates];
}
