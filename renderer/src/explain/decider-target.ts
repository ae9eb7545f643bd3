import type { HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { hostSuffix } from '../graph/build-hosts.js';
import { namespaceName, portMappingId } from '../graph/labels.js';
import { ruleMarks } from '../panels/rules/rule-marks.js';
import type { MarkTarget, RuleMarksStore } from '../panels/rules/rule-marks.js';

/**
 * Where a rule/route reference leads: the rules view on that rule, chain or policy routing rule
 * (exact: source, family and nftables handle), a route in the inspector, or a node.
 */
export type DeciderTarget = MarkTarget | { kind: 'route'; ns: string; table: string; dst: string } | { kind: 'node'; id: string };

/** Resolves a namespace given by id or by /run/netns name to its id. */
function nsId(s: Snapshot, ns: string): string | null {
  return s.namespaces.find((n) => n.id === ns || n.name === ns)?.id ?? null;
}

/**
 * A rule, a chain policy or an ip rule opens the rules view on it; a route opens its namespace in the
 * inspector, pointing at it; a setting opens the namespace (forwarding is listed there); a port mapping
 * selects its badge. Null when the namespace is no longer in the snapshot.
 */
export function deciderTarget(s: Snapshot, d: HopDecider): DeciderTarget | null {
  const ns = nsId(s, d.ns);
  if (!ns) return null;
  switch (d.kind) {
    case 'rule':
      return { kind: 'rule', ns, table: d.table, chain: d.chain, spec: d.spec, backend: d.backend, family: d.family, handle: d.handle };
    case 'policy':
      return { kind: 'rule', ns, table: d.table, chain: d.chain, spec: null, backend: d.backend, family: d.family };
    case 'ipRule':
      return { kind: 'ipRule', ns, priority: d.priority, text: d.text };
    case 'route':
      return { kind: 'route', ns, table: d.table, dst: d.dst };
    case 'setting':
      return { kind: 'node', id: ns };
    case 'portMapping': {
      const pm = s.portMappings.find((p) => p.ns === ns && p.proto === d.proto && p.hostPort === d.hostPort);
      return { kind: 'node', id: pm ? portMappingId(pm) : ns };
    }
  }
}

/**
 * Marks the rule the kernel said decided (an nftables trace of a real probe, as a HopDecider) in
 * the rules view — "decided by, for real" — and returns it, so the caller can open the view on it
 * (the onRule of useExplainView). null clears the mark; a decider that is not a firewall or
 * ip rule marks nothing.
 */
export function markTraced(s: Snapshot, d: HopDecider | null, store: RuleMarksStore = ruleMarks): MarkTarget | null {
  const t = d ? deciderTarget(s, d) : null;
  const mark = t && (t.kind === 'rule' || t.kind === 'ipRule') ? t : null;
  store.set('traced', mark ? [mark] : []);
  return mark;
}

/** The decider as a person reads it: "-A FORWARD -i veth1 -j ACCEPT (filter, host)". */
export function deciderText(s: Snapshot | null, d: HopDecider): string {
  const ns = s?.namespaces.find((n) => n.id === d.ns || n.name === d.ns);
  const where = ns ? namespaceName(ns) + hostSuffix(ns.id) : d.ns;
  switch (d.kind) {
    case 'rule':
      return d.backend === 'nftables' ? `${d.spec} (nft ${d.family ?? ''} ${d.table} ${d.chain}, ${where})` : `-A ${d.chain} ${d.spec} (${d.table}${d.backend === 'legacy' ? ', legacy' : ''}, ${where})`;
    case 'policy':
      return d.backend === 'nftables' ? `policy ${d.policy} of nft ${d.family ?? ''} ${d.table} ${d.chain} (${where})` : `${d.chain} policy ${d.policy} (${d.table}, ${where})`;
    case 'ipRule':
      return `ip rule ${d.text} (${where})`;
    case 'route':
      return `route ${d.text}${d.table !== 'main' ? ` table ${d.table}` : ''} (${where})`;
    case 'setting':
      return `${d.name} = ${d.value} (${where})`;
    case 'portMapping':
      return `port mapping ${d.proto} ${d.hostPort} (${where})`;
  }
}
