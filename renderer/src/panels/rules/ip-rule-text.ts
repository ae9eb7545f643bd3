import type { IpRule } from '../../../../protocol/src/index.js';

/**
 * An `ip rule` as `ip rule list` prints it ("100: from all fwmark 0x10 lookup 100"), spelled the
 * way helper/explain/route-lookup.ts spells it in a HopDecider, so a decider finds its rule.
 */
export function ipRuleText(r: IpRule): string {
  const parts = [`${r.priority}:`];
  if (r.not) parts.push('not');
  parts.push(`from ${r.src ?? 'all'}`);
  if (r.dst) parts.push(`to ${r.dst}`);
  if (r.iif) parts.push(`iif ${r.iif}`);
  if (r.oif) parts.push(`oif ${r.oif}`);
  if (r.fwmark !== null) parts.push(`fwmark 0x${r.fwmark.toString(16)}${r.fwmask !== null && r.fwmask !== 0xffffffff ? `/0x${r.fwmask.toString(16)}` : ''}`);
  parts.push(...(r.other ?? []));
  if (r.action === 'lookup') parts.push(`lookup ${r.table}`);
  else if (r.action === 'goto') parts.push(`goto ${r.goto}`);
  else parts.push(r.action);
  return parts.join(' ');
}
