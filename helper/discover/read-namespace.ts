import { ProtocolError } from '../../protocol/src/errors.js';
import type { IpRule, NetSysctls } from '../../protocol/src/firewall.js';
import type { Exec } from '../exec.js';
import type { FirewallHints, FirewallTexts } from '../firewall/read.js';
import { NO_HINTS, readFirewall } from '../firewall/read.js';
import { parseIpRules, sysctlLines } from './ip-rules.js';
import { parseSysctls } from './sysctls.js';
import { IP_BATCH_ARGS, IP_BATCH_INPUT, parseIpBatch } from './ip-batch.js';
import type { ParsedLink } from './ip-link.js';
import type { ParsedRoute } from './ip-route.js';
import { ipIn, programIn, type NsTarget } from './ns-target.js';
import type { FdbEntry } from './read-fdb.js';
import type { WgPeer } from './read-wireguard.js';

/** What one namespace holds, as read from the kernel — before ids and peers are resolved across namespaces. */
export interface NamespaceState {
  id: string;
  links: ParsedLink[];
  routes: ParsedRoute[];
  ipForward: boolean | null;
  /** This namespace's nsid table: nsid → /run/netns name (null name: unnamed); null when not read (yet). */
  nsids: Map<number, string | null> | null;
  /** Every firewall source's text (firewall/read.ts); null: not read yet. */
  firewall: FirewallTexts | null;
  /** Which firewall tables exist (from netloom-nsread), so only those sources are read. */
  firewallHints: FirewallHints;
  /** Policy routing rules of both families; null when not read. */
  ipRules: IpRule[] | null;
  /** rp_filter and route_localnet; null when not read. */
  sysctls: NetSysctls | null;
  /** Why the namespace could not be read completely, if it could not. */
  error: string | null;
  /** VXLAN forwarding entries with a far end (read only where a VXLAN device is). */
  fdb?: FdbEntry[];
  /** WireGuard peers, keys of secrets dropped (read only where a WireGuard device is). */
  wgPeers?: WgPeer[];
}

export const READ_TIMEOUT_MS = 10_000;

export function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What the ip path reads besides the batch: both families' rules and the routing sysctls. */
export interface IpExtras {
  rules4: string | null;
  rules6: string | null;
  sysctls: string | null;
}
const NO_EXTRAS: IpExtras = { rules4: null, rules6: null, sysctls: null };

function json(text: string | null): unknown {
  try {
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** Builds a namespace's state from the ip batch's output and the firewall's texts. */
export function stateFrom(id: string, ip: { stdout: string; stderr: string } | { failed: string }, firewall: FirewallTexts | null, extras: IpExtras = NO_EXTRAS): NamespaceState {
  const rules = extras.rules4 === null && extras.rules6 === null ? null : [...parseIpRules(json(extras.rules4), 4), ...parseIpRules(json(extras.rules6), 6)];
  const state: NamespaceState = {
    id,
    links: [],
    routes: [],
    ipForward: null,
    nsids: null,
    firewall,
    firewallHints: NO_HINTS,
    ipRules: rules,
    sysctls: extras.sysctls === null ? null : parseSysctls(sysctlLines(extras.sysctls)),
    error: null,
  };
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

async function readText(exec: Exec, argv: Parameters<Exec['run']>[0], signal?: AbortSignal): Promise<string | null> {
  try {
    const r = await exec.run(argv, { signal, timeoutMs: READ_TIMEOUT_MS, allowFailure: true });
    return r.exitCode === 0 ? r.stdout : null;
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return null;
  }
}

/** Policy rules of both families and the routing sysctls, as the ip path reads them (three programs). */
export async function readIpExtras(exec: Exec, target: NsTarget, signal?: AbortSignal): Promise<IpExtras> {
  const [rules4, rules6, sysctls] = await Promise.all([
    readText(exec, ipIn(target, ['-4', '-json', 'rule', 'show']), signal),
    readText(exec, ipIn(target, ['-6', '-json', 'rule', 'show']), signal),
    readText(exec, programIn(target, ['sysctl', '-a', '-r', '^net\\.ipv4\\.conf\\..*\\.(rp_filter|route_localnet)$']), signal),
  ]);
  return { rules4, rules6, sysctls };
}

async function readIp(exec: Exec, target: NsTarget, signal?: AbortSignal): Promise<{ stdout: string; stderr: string } | { failed: string }> {
  try {
    return await exec.run(ipIn(target, IP_BATCH_ARGS), { input: IP_BATCH_INPUT, signal, timeoutMs: READ_TIMEOUT_MS, allowFailure: true });
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return { failed: reason(e) };
  }
}

/** Reads one namespace with one `ip -batch`, its policy rules and sysctls, and every firewall source, all at once. */
export async function readNamespace(exec: Exec, target: NsTarget, signal?: AbortSignal, knownFirewall?: FirewallTexts): Promise<NamespaceState> {
  const [ip, fw, extras] = await Promise.all([readIp(exec, target, signal), knownFirewall ?? readFirewall(exec, target, NO_HINTS, signal), readIpExtras(exec, target, signal)]);
  return stateFrom(target.id, ip, fw, extras);
}
