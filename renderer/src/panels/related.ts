import type { Interface, Route, Rule, Snapshot } from '../../../protocol/src/index.js';


/** Routes whose `dev` is this interface. */
export function routesVia(s: Snapshot, iface: Interface): Route[] {
  return s.routes.filter((r) => r.dev === iface.id);
}

/**
 * Rules of the interface's namespace that name it with `-i NAME` or `-o NAME` (negated
 * or not). iptables' `veth+` wildcards match by prefix, so those count too.
 */
export function rulesMentioning(s: Snapshot, iface: Interface): Rule[] {
  const re = new RegExp(`(^|\\s)-[io] (\\S+)(?=\\s|$)`, 'g');
  return s.rules.filter((r) => {
    if (r.ns !== iface.ns) return false;
    for (const m of r.spec.matchAll(re)) {
      const name = m[2] ?? '';
      if (name === iface.name || (name.endsWith('+') && iface.name.startsWith(name.slice(0, -1)))) return true;
    }
    return false;
  });
}

export function bridgePorts(s: Snapshot, bridge: Interface): Interface[] {
  return s.interfaces.filter((i) => i.master === bridge.id);
}

