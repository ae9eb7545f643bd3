import type { NsTarget } from '../discover/ns-target.js';
import { programIn } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';
import type { Listening } from './tracer.js';

/**
 * Which TCP/UDP ports have a listening socket in a namespace — `ss -Htuln` entered into it — so
 * explain can tell "delivered, and something answers" from "connection refused", and warn of a
 * host port a process already holds.
 *
 *   tcp   LISTEN 0      128          0.0.0.0:80        0.0.0.0:*
 *   udp   UNCONN 0      0               [::]:5353         [::]:*
 */
export function parseSs(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const proto = cols[0];
    const local = cols[4];
    if ((proto !== 'tcp' && proto !== 'udp') || local === undefined) continue;
    const m = /^(.*):(\d+)$/.exec(local);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    // `[fd00::1]` → fd00::1; `10.0.0.13%lo` (bound to a device too) → 10.0.0.13
    const addr = m[1].replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
    const key = `${proto}:${m[2]}`;
    out.set(key, [...(out.get(key) ?? []), addr]);
  }
  return out;
}

/**
 * Whether a socket bound to `bound` takes a packet for `ip`: `0.0.0.0` takes every IPv4 address,
 * `*` (ss's dual-stack `::`) every address, `::` with IPV6_V6ONLY (ss prints `[::]`) only IPv6.
 */
export function takes(bound: string, ip: string): boolean {
  const v4 = !ip.includes(':');
  if (bound === '*') return true;
  if (bound === '0.0.0.0') return v4;
  if (bound === '::') return !v4;
  const b = bound.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  return b === ip.toLowerCase();
}

/** null when `ss` could not be run there (no privileges, the namespace is gone). */
export async function readListeners(exec: Exec, ns: NsTarget, signal?: AbortSignal): Promise<Map<string, string[]> | null> {
  try {
    const r = await exec.run(programIn(ns, ['ss', '-Htuln']), { timeoutMs: 3000, ...(signal ? { signal } : {}) });
    return parseSs(r.stdout);
  } catch {
    return null;
  }
}

/** The engine's `listening` question answered from what was read: by port, and by the address the packet is for. */
export function listeningFrom(read: Map<string, Map<string, string[]> | null>): Listening {
  return (ns, proto, port, ip) => {
    const byPort = read.get(ns);
    if (!byPort) return null;
    const bound = byPort.get(`${proto}:${port}`);
    if (bound === undefined || bound.length === 0) return false;
    if (ip === undefined || bound.some((b) => takes(b, ip))) return true;
    return { boundTo: [...new Set(bound)] };
  };
}
