import type { Interface, Namespace, PortMapping, Route, Rule } from '../../protocol/src/snapshot.js';
import { readDnat } from './dnat-rule.js';
import { findOption, parseSpec, ruleTarget, type SpecOption } from './iptables-spec.js';
import { cidrContains, ipv4ToInt } from './ipv4-match.js';
import { findTargetInterface } from './target-interface.js';

/**
 * Port mappings (DESIGN §3) from the DNAT rules of each namespace's nat table: those in
 * PREROUTING (traffic from elsewhere) and OUTPUT (the host itself), and in every chain
 * reachable from them by `-j`/`-g` (Docker's DOCKER chain, netavark's, netloom's own).
 *
 * - One mapping per (ns, proto, hostIp, port range, target); the chains it was found
 *   through are unioned: the entry chains first (PREROUTING, OUTPUT), then the others in
 *   the order first met — Docker's `-p 18080:80` gives ["PREROUTING", "OUTPUT", "DOCKER"].
 * - localAccess: reached from OUTPUT by a path whose conditions can hold for locally
 *   generated traffic (no `-i IFACE`, which never matches there, and no `-d` that excludes
 *   the mapping's host address, e.g. Docker's `! -d 127.0.0.0/8` for a 127.0.0.1 mapping).
 * - A DNAT without a destination port (the whole address) is not a port mapping: skipped.
 * - targetPort: `--to-destination IP` without a port keeps the packet's port, so it is the
 *   host port (the range's first port for a range).
 * - Shadowing (`-i docker0 -j RETURN` before the DNAT) is not evaluated: every DNAT that a
 *   path leads to counts.
 */

const ENTRY_CHAINS = ['PREROUTING', 'OUTPUT'] as const;
/** Deeper than any runtime nests its chains; a guard against pathological rule sets. */
const MAX_DEPTH = 16;

interface Found {
  rule: Rule;
  options: SpecOption[];
  /** Options of the jump rules on the way, outermost first. */
  via: SpecOption[][];
  path: string[];
}

export function derivePortMappings(s: { namespaces: Namespace[]; interfaces: Interface[]; rules: Rule[]; routes: Route[] }): PortMapping[] {
  const nsOrder = [...s.namespaces.map((n) => n.id), ...s.rules.map((r) => r.ns)];
  const out: PortMapping[] = [];
  for (const ns of new Set(nsOrder)) {
    const natRules = s.rules.filter((r) => r.ns === ns && r.table === 'nat');
    if (natRules.length === 0) continue;
    out.push(...mappingsOf(ns, natRules, s.interfaces, s.routes));
  }
  return out;
}

function mappingsOf(ns: string, natRules: Rule[], interfaces: Interface[], routes: Route[]): PortMapping[] {
  const byChain = new Map<string, Rule[]>();
  for (const r of natRules) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r]);
  const found: Found[] = [];
  for (const entry of ENTRY_CHAINS) walk(byChain, [entry], [], found);

  const merged = new Map<string, { mapping: PortMapping; chains: string[] }>();
  for (const f of found) {
    const dnat = readDnat(f.options, f.via);
    if (dnat === null) continue;
    const local = f.path[0] === 'OUTPUT' && localTrafficCanMatch([...f.via, f.options], dnat.hostIp);
    for (const port of dnat.ports) {
      const key = [dnat.proto, dnat.hostIp, port.start, port.end ?? '', dnat.targetIp, dnat.targetPort ?? ''].join('|');
      const seen = merged.get(key);
      if (seen !== undefined) {
        seen.mapping.localAccess ||= local;
        seen.chains.push(...f.path);
        continue;
      }
      const mapping: PortMapping = {
        ns,
        proto: dnat.proto,
        hostIp: dnat.hostIp,
        hostPort: port.start,
        ...(port.end !== undefined ? { hostPortEnd: port.end } : {}),
        targetIp: dnat.targetIp,
        targetPort: dnat.targetPort ?? port.start,
        targetInterface: findTargetInterface(dnat.targetIp, ns, interfaces, routes),
        chains: [],
        localAccess: local,
        owner: f.rule.owner,
      };
      merged.set(key, { mapping, chains: [...f.path] });
    }
  }
  return [...merged.values()].map(({ mapping, chains }) => ({ ...mapping, chains: orderChains(chains) }));
}

/** Depth-first over the jumps from `path`'s last chain, collecting every DNAT rule met. */
function walk(byChain: Map<string, Rule[]>, path: string[], via: SpecOption[][], found: Found[]): void {
  const chain = path[path.length - 1] ?? '';
  if (path.length > MAX_DEPTH) return;
  for (const rule of byChain.get(chain) ?? []) {
    const options = parseSpec(rule.spec);
    const target = ruleTarget(options)?.target;
    if (target === 'DNAT') found.push({ rule, options, via, path });
    else if (target !== undefined && byChain.has(target) && !path.includes(target)) {
      walk(byChain, [...path, target], [...via, options], found);
    }
  }
}

/** Whether every rule on an OUTPUT path can match a packet the host sends to `hostIp`. */
function localTrafficCanMatch(rules: SpecOption[][], hostIp: string): boolean {
  // Only a single host address can be tested against `-d`; `0.0.0.0` and CIDRs pass.
  const testable = hostIp !== '0.0.0.0' && ipv4ToInt(hostIp) !== null;
  for (const options of rules) {
    const inIface = findOption(options, '-i');
    if (inIface !== undefined && !inIface.negated) return false;
    for (const d of options.filter((o) => o.name === '-d' || o.name === '--destination')) {
      const cidr = d.args[0];
      if (cidr === undefined || !testable) continue;
      if (d.negated && cidrContains(cidr, hostIp)) return false;
      if (!d.negated && !cidrContains(cidr, hostIp)) return false;
    }
  }
  return true;
}

function orderChains(chains: string[]): string[] {
  const unique = [...new Set(chains)];
  const entries = ENTRY_CHAINS.filter((c) => unique.includes(c));
  return [...entries, ...unique.filter((c) => !(ENTRY_CHAINS as readonly string[]).includes(c))];
}
