import { z } from 'zod';
import type { Exec } from '../exec.js';
import { mapBounded } from './bounded.js';
import { programIn, type NsTarget } from './ns-target.js';
import type { NamespaceState } from './read-namespace.js';

/** One `bridge -json fdb show` entry that sends to a far end: a VXLAN device's `dst`. */
export interface FdbEntry {
  dev: string;
  mac: string;
  dst: string;
}

const FdbJson = z.array(z.looseObject({ mac: z.string().optional(), ifname: z.string().optional(), dst: z.string().optional() }));

/** Only entries with a `dst` (a VXLAN's far ends); the bridge's own MAC entries have none. */
export function parseFdb(text: string): FdbEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  const r = FdbJson.safeParse(raw);
  if (!r.success) return [];
  return r.data.flatMap((e) => (e.dst !== undefined && e.ifname !== undefined && e.mac !== undefined ? [{ dev: e.ifname, mac: e.mac, dst: e.dst }] : []));
}

/**
 * The fdb of every namespace holding a VXLAN device (few do): which far hosts each one sends to
 * when no single `remote` is fixed (Docker Swarm, flannel and Calico fill it per peer).
 */
export async function withFdb(exec: Exec, states: NamespaceState[], targets: NsTarget[], concurrency: number, signal?: AbortSignal): Promise<NamespaceState[]> {
  const targetOf = new Map(targets.map((t) => [t.id, t]));
  return await mapBounded(states, concurrency, async (s) => {
    const t = targetOf.get(s.id);
    if (t === undefined || !s.links.some((l) => l.linkKind === 'vxlan')) return s;
    try {
      const r = await exec.run(programIn(t, ['bridge', '-json', 'fdb', 'show']), { signal, timeoutMs: 5000, allowFailure: true });
      return r.exitCode === 0 ? { ...s, fdb: parseFdb(r.stdout) } : s;
    } catch {
      return s;
    }
  });
}
