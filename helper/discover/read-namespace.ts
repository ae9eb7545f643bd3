import { ProtocolError } from '../../protocol/src/index.js';
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
  /** This namespace's nsid table: nsid → /run/netns name (null when the other namespace is unnamed). */
  nsids: Map<number, string | null>;
  /** `iptables-save -c` text, or null when it could not be read. */
  iptablesSave: string | null;
  /** Why the namespace could not be read completely, if it could not. */
  error: string | null;
  /** Why iptables could not be read (a missing binary is not an error of the namespace). */
  iptablesError: string | null;
}

const TIMEOUT_MS = 10_000;

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function readIptables(exec: Exec, target: NsTarget, signal?: AbortSignal): Promise<{ text: string | null; error: string | null }> {
  try {
    const r = await exec.run(programIn(target, ['iptables-save', '-c']), { signal, timeoutMs: TIMEOUT_MS });
    return { text: r.stdout, error: null };
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return { text: null, error: reason(e) };
  }
}

/** Reads one namespace with one `ip -batch` and one `iptables-save`, both started at once. */
export async function readNamespace(exec: Exec, target: NsTarget, signal?: AbortSignal): Promise<NamespaceState> {
  const ipRun = exec.run(ipIn(target, IP_BATCH_ARGS), { input: IP_BATCH_INPUT, signal, timeoutMs: TIMEOUT_MS, allowFailure: true });
  const [ip, ipt] = await Promise.all([ipRun.then((r) => ({ r, e: null }), (e: unknown) => ({ r: null, e })), readIptables(exec, target, signal)]);
  if (ip.e instanceof ProtocolError && ip.e.code === 'cancelled') throw ip.e;
  const state: NamespaceState = {
    id: target.id,
    links: [],
    routes: [],
    ipForward: null,
    nsids: new Map(),
    iptablesSave: ipt.text,
    error: null,
    iptablesError: ipt.error,
  };
  if (ip.r === null) return { ...state, error: `could not read the namespace: ${reason(ip.e)}` };
  const parsed = parseIpBatch(ip.r.stdout);
  let error: string | null = null;
  if (parsed.links.length === 0) {
    // Entering failed (the namespace vanished, or no privilege): ip printed nothing useful.
    const why = ip.r.stderr.trim().split('\n')[0] ?? '';
    error = `could not read the namespace${why ? `: ${why}` : ''}`;
  }
  return { ...state, links: parsed.links, routes: parsed.routes, ipForward: parsed.ipForward, nsids: parsed.nsids, error };
}
