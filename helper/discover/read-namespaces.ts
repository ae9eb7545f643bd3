import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import { mapBounded } from './bounded.js';
import { NAMED_DIR } from './namespaces.js';
import { stateFromDump } from './netlink/dump-state.js';
import { inodeOf, readNative } from './netlink/read-native.js';
import type { NsDump } from './netlink/records.js';
import type { NsTarget } from './ns-target.js';
import { readAllNamed, type AllNamedRead } from './read-all-named.js';
import { readFirewall, type FirewallTexts } from '../firewall/read.js';
import { readNamespace, stateFrom, type NamespaceState } from './read-namespace.js';
import { withFdb } from './read-fdb.js';
import { withWireGuard } from './read-wireguard.js';

/** From this many named namespaces on, one `ip -all netns exec` pass beats a spawn per namespace. */
export const ALL_NAMED_THRESHOLD = 8;

/**
 * A read of every /run/netns namespace started before the namespace scan: with netloom-nsread
 * (one process, netlink) when it was built, else `ip -all netns exec`.
 */
export type BulkRead = { native: Promise<Map<number, NsDump> | null> } | { ip: Promise<AllNamedRead> };

export function startBulkRead(exec: Exec, native: boolean, signal?: AbortSignal): BulkRead {
  const bulk: BulkRead = native ? { native: readNative(exec, [NAMED_DIR], signal) } : { ip: readAllNamed(exec, signal) };
  // awaited later; never left unhandled if the scan throws first
  ('native' in bulk ? bulk.native : bulk.ip).catch(() => undefined);
  return bulk;
}

/** A failed bulk pass is not fatal: every namespace it should have read is then read on its own. */
async function bulkOrNothing(p: Promise<AllNamedRead>): Promise<AllNamedRead> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return { ip: new Map(), firewall: new Map(), extras: new Map() };
  }
}

/**
 * With netloom-nsread: links, addresses, routes and forwarding of every namespace from one
 * process; iptables-save only where the namespace has iptables tables. A namespace the reader
 * did not get (created meanwhile, or it could not enter it) is read with ip, as before.
 */
async function readNamespacesNative(
  exec: Exec,
  targets: NsTarget[],
  concurrency: number,
  signal: AbortSignal | undefined,
  started: Promise<Map<number, NsDump> | null> | undefined,
  known: Map<string, FirewallTexts> | undefined,
): Promise<NamespaceState[]> {
  const dumps = new Map((started ? await started : null) ?? []);
  const rest = targets.filter((t) => !dumps.has(inodeOf(t.id)));
  for (const [inode, d] of (await readNative(exec, rest.map((t) => t.path), signal)) ?? []) dumps.set(inode, d);

  const read: NamespaceState[] = [];
  const missed: NsTarget[] = [];
  for (const t of targets) {
    const d = dumps.get(inodeOf(t.id));
    const state = d === undefined ? null : stateFromDump(t.id, d);
    if (state === null || state.links.length === 0) missed.push(t);
    else read.push(state);
  }
  const targetOf = new Map(targets.map((t) => [t.id, t]));
  const [withRules, byIp] = await Promise.all([
    mapBounded(read, concurrency, async (s) => {
      const t = targetOf.get(s.id);
      if (s.firewall !== null || t === undefined) return s;
      return { ...s, firewall: known?.get(s.id) ?? (await readFirewall(exec, t, s.firewallHints, signal)) };
    }),
    mapBounded(missed, concurrency, (t) => readNamespace(exec, t, signal, known?.get(t.id))),
  ]);
  return [...withRules, ...byIp];
}

/**
 * Reads the given namespaces: named ones in bulk when there are many, the rest (own, unnamed,
 * and any named one the bulk pass missed) one by one with a small bound — all at the same time.
 */
export async function readNamespaces(...args: Parameters<typeof readNamespacesOnly>): Promise<NamespaceState[]> {
  const [exec, targets, concurrency, signal] = args;
  const states = await withFdb(exec, await readNamespacesOnly(...args), targets, concurrency, signal);
  return await withWireGuard(exec, states, targets, concurrency, signal);
}

async function readNamespacesOnly(
  exec: Exec,
  targets: NsTarget[],
  concurrency: number,
  signal?: AbortSignal,
  /** A bulk pass already started (refreshAll starts it before the namespace scan). */
  started?: BulkRead,
  /** Read with netloom-nsread (the caller knows it was built and runs on the real kernel). */
  native = false,
  /** Firewall texts already known (a re-read after a link change: the rules poller follows the firewall). */
  known?: Map<string, FirewallTexts>,
): Promise<NamespaceState[]> {
  if (native && (started === undefined || 'native' in started)) {
    return await readNamespacesNative(exec, targets, concurrency, signal, started?.native, known);
  }
  const startedIp = started !== undefined && 'ip' in started ? started.ip : undefined;
  const named = targets.filter((t) => !t.own && t.name !== null);
  const bulk = startedIp !== undefined || named.length >= ALL_NAMED_THRESHOLD ? named : [];
  const bulkIds = new Set(bulk.map((t) => t.id));
  const single = targets.filter((t) => !bulkIds.has(t.id));

  const [bulkStates, singleStates] = await Promise.all([
    bulk.length === 0
      ? Promise.resolve([] as NamespaceState[])
      : bulkOrNothing(startedIp ?? readAllNamed(exec, signal)).then(async (all) => {
          const missed: NsTarget[] = [];
          const states: NamespaceState[] = [];
          for (const t of bulk) {
            const ip = all.ip.get(t.name ?? '');
            if (ip === undefined) {
              missed.push(t); // created after the pass began, or ip skipped it
              continue;
            }
            const name = t.name ?? '';
            states.push(stateFrom(t.id, { stdout: ip, stderr: '' }, all.firewall.get(name) ?? null, all.extras.get(name)));
          }
          return [...states, ...(await mapBounded(missed, concurrency, (t) => readNamespace(exec, t, signal)))];
        }),
    mapBounded(single, concurrency, (t) => readNamespace(exec, t, signal, known?.get(t.id))),
  ]);
  return [...bulkStates, ...singleStates];
}
