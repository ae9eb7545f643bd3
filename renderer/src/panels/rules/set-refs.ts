import type { FirewallSet, JsonValue, Rule } from '../../../../protocol/src/index.js';

/**
 * The named sets and maps a rule uses (`ip daddr @cluster-ips`, `vmap @service-ips`): libnftables
 * JSON writes a reference as the string "@name" wherever a value goes, so the rule's expressions
 * are searched for such strings; a rule without them (an older helper) falls back to its text.
 */
export function setNamesIn(rule: Rule): string[] {
  const names = new Set<string>();
  if (rule.expr !== undefined) collect(rule.expr, names);
  else for (const m of rule.spec.matchAll(/@([A-Za-z0-9_./-]+)/g)) if (m[1]) names.add(m[1]);
  return [...names];
}

function collect(v: JsonValue, into: Set<string>): void {
  if (typeof v === 'string') {
    if (v.startsWith('@') && v.length > 1) into.add(v.slice(1));
  } else if (Array.isArray(v)) for (const x of v) collect(x, into);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) collect(x, into);
}

/** Whether an nftables rule counts packets (a `counter` statement); iptables always counts. */
export function hasCounter(rule: Rule): boolean {
  if (rule.backend !== 'nftables' || rule.expr === undefined) return true;
  return rule.expr.some((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && 'counter' in e);
}

/** The text of a spec cut around its set references, so each `@name` can be a control of its own. */
export function splitAtSets(spec: string, names: string[]): ({ text: string } | { set: string })[] {
  if (names.length === 0) return [{ text: spec }];
  const byLength = [...names].sort((a, b) => b.length - a.length);
  const out: ({ text: string } | { set: string })[] = [];
  let rest = spec;
  for (;;) {
    let best: { at: number; name: string } | null = null;
    for (const name of byLength) {
      const at = rest.indexOf(`@${name}`);
      if (at !== -1 && (best === null || at < best.at)) best = { at, name };
    }
    if (best === null) break;
    if (best.at > 0) out.push({ text: rest.slice(0, best.at) });
    out.push({ set: best.name });
    rest = rest.slice(best.at + best.name.length + 1);
  }
  if (rest) out.push({ text: rest });
  return out;
}

/** "verdict map", "map", "set", each with its key type: how the set's heading reads. */
export function setKindText(s: FirewallSet): string {
  const kind = s.kind === 'vmap' ? 'verdict map' : s.kind;
  return `${kind} of ${s.keyType}${s.kind === 'map' && s.dataType ? ` → ${s.dataType}` : ''}`;
}
