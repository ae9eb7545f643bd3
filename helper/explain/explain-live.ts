import type { z } from 'zod';
import type { ExplainParams, ExplainResult } from '../../protocol/src/explain.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';
import { explainPath } from './explain-path.js';
import { explainHealth } from './health.js';
import type { HealthResult } from '../../protocol/src/explain.js';
import { listeningFrom, readListeners } from './listeners.js';

/** At most this many namespaces are asked for their listening sockets (one `ss` each, in parallel). */
const MAX_SS = 16;

/**
 * explain.path against the live system: a first pass finds where the request is delivered, `ss`
 * there (and, for a host port nobody maps, in the namespaces it could be mapped to) says what
 * listens, and a second pass uses that. ICMP needs no listener.
 */
export async function explainLive(exec: Exec, snapshot: Snapshot, params: z.output<typeof ExplainParams>, enter: (nsId: string) => Promise<NsTarget | undefined>, signal?: AbortSignal): Promise<ExplainResult> {
  const first = explainPath(snapshot, params);
  if (first.proto === 'icmp') return first;
  const ids = new Set(first.request.filter((h) => h.stage === 'deliver').map((h) => h.ns));
  if (params.dst.kind === 'hostPort') for (const n of snapshot.namespaces) ids.add(n.id);
  const read = new Map<string, Map<string, string[]> | null>();
  await Promise.all(
    [...ids].slice(0, MAX_SS).map(async (id) => {
      const target = await enter(id).catch(() => undefined);
      read.set(id, target ? await readListeners(exec, target, signal) : null);
    }),
  );
  return explainPath(snapshot, params, { listening: listeningFrom(read) });
}

/** explain.health against the live system: the host's listening sockets (one `ss`) show mapped ports a process also holds. */
export async function healthLive(exec: Exec, snapshot: Snapshot, enter: (nsId: string) => Promise<NsTarget | undefined>, signal?: AbortSignal): Promise<HealthResult> {
  const host = snapshot.namespaces.find((n) => n.kind === 'host');
  const read = new Map<string, Map<string, string[]> | null>();
  const target = host && snapshot.portMappings.length > 0 ? await enter(host.id).catch(() => undefined) : undefined;
  if (host && target) read.set(host.id, await readListeners(exec, target, signal));
  return explainHealth(snapshot, { listening: listeningFrom(read) });
}
