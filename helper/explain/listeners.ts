import type { NsTarget } from '../discover/ns-target.js';
import { programIn } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';

/**
 * Which TCP/UDP ports have a listening socket in a namespace — `ss -Htuln` entered into it — so
 * explain can tell "delivered, and something answers" from "connection refused", and warn of a
 * host port a process already holds.
 *
 *   tcp   LISTEN 0      128          0.0.0.0:80        0.0.0.0:*
 *   udp   UNCONN 0      0               [::]:5353         [::]:*
 */
export function parseSs(stdout: string): Set<string> {
  const out = new Set<string>();
  for (const line of stdout.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const proto = cols[0];
    const local = cols[4];
    if ((proto !== 'tcp' && proto !== 'udp') || local === undefined) continue;
    const port = /:(\d+)$/.exec(local)?.[1];
    if (port !== undefined) out.add(`${proto}:${port}`);
  }
  return out;
}

/** null when `ss` could not be run there (no privileges, the namespace is gone). */
export async function readListeners(exec: Exec, ns: NsTarget, signal?: AbortSignal): Promise<Set<string> | null> {
  try {
    const r = await exec.run(programIn(ns, ['ss', '-Htuln']), { timeoutMs: 3000, ...(signal ? { signal } : {}) });
    return parseSs(r.stdout);
  } catch {
    return null;
  }
}

/** The engine's `listening` question answered from what was read. */
export function listeningFrom(read: Map<string, Set<string> | null>): (ns: string, proto: 'tcp' | 'udp', port: number) => boolean | null {
  return (ns, proto, port) => {
    const set = read.get(ns);
    return set ? set.has(`${proto}:${port}`) : null;
  };
}
