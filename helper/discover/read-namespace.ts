import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import { IP_BATCH_ARGS, IP_BATCH_INPUT, parseIpBatch } from './ip-batch.js';
import type { ParsedLink } from './ip-link.js';
import type { ParsedRoute } from './ip-route.js';
import { ipIn, programIn, type NsTarget } from './ns-target.js';

/** What one namespace holds, as read from the kernel — before ids and peers are resolved across namespaces. */
export interface NamespaceState {
  id: string;
  links: ParsedLink[];
  routes: ParsedRoute[];
  ipForward: boolean | null;
  /** This namespace's nsid table: nsid → /run/netns name (null name: unnamed); null when not read (yet). */
  nsids: Map<number, string | null> | null;
  /** `iptables-save -c` text, or null when it could not be read. */
  iptablesSave: string | null;
  /** Why the namespace could not be read completely, if it could not. */
  error: string | null;
  /** Why iptables could not be read (a missing binary is not an error of the namespace). */
  iptablesError: string | null;
}

export const READ_TIMEOUT_MS = 10_000;

export function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Builds a namespace's state from the ip batch's output and iptables-save's. */
export function stateFrom(id: string, ip: { stdout: string; stderr: string } | { failed: string }, ipt: { text: string | null; error: string | null }): NamespaceState {
  const state: NamespaceState = { id, links: [], routes: [], ipForward: null, nsids: null, iptablesSave: ipt.text, error: null, iptablesError: ipt.error };
  if ('failed' in ip) return { ...state, error: `could not read the namespace: ${ip.failed}` };
  const parsed = parseIpBatch(ip.stdout);
  let error: string | null = null;
  if (parsed.links.length === 0) {
    // Entering failed (the namespace vanished, or no privilege): ip printed nothing useful.
    const why = ip.stderr.trim().split('\n')[0] ?? '';
    error = `could not read the namespace${why ? `: ${why}` : ''}`;
  }
  return { ...state, links: parsed.links, routes: parsed.routes, ipForward: parsed.ipForward, nsids: parsed.nsids, error };
}

export async function readIptables(exec: Exec, target: NsTarget, signal?: AbortSignal): Promise<{ text: string | null; error: string | null }> {
  try {
    const r = await exec.run(programIn(target, ['iptables-save', '-c']), { signal, timeoutMs: READ_TIMEOUT_MS });
    return { text: r.stdout, error: null };
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return { text: null, error: reason(e) };
  }
}

async function readIp(exec: Exec, target: NsTarget, signal?: AbortSignal): Promise<{ stdout: string; stderr: string } | { failed: string }> {
  try {
    return await exec.run(ipIn(target, IP_BATCH_ARGS), { input: IP_BATCH_INPUT, signal, timeoutMs: READ_TIMEOUT_MS, allowFailure: true });
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return { failed: reason(e) };
  }
}

/** Reads one namespace with one `ip -batch` and one `iptables-save`, both started at once. */
export async function readNamespace(exec: Exec, target: NsTarget, signal?: AbortSignal): Promise<NamespaceState> {
  const [ip, ipt] = await Promise.all([readIp(exec, target, signal), readIptables(exec, target, signal)]);
  return stateFrom(target.id, ip, ipt);
}
