import type { IntentOf } from '../../protocol/src/intents.js';
import type { BuildEnv, BuildResult } from './actions.js';
import { nsLabel, resolveNs } from './actions.js';

/** net.ipv4.ip_forward also sets every interface's forwarding (the kernel's "all" switch). */
export const IP_FORWARD = 'net.ipv4.ip_forward';

export function buildForwardingSet(intent: IntentOf<'forwarding.set'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const where = nsLabel(ns.target);
  if (ns.ipForward === intent.enabled) {
    return { actions: [], notes: [`forwarding is already ${intent.enabled ? 'on' : 'off'} in ${where}: nothing to do`] };
  }
  const previous = ns.ipForward === null ? null : ns.ipForward ? '1' : '0';
  ns.ipForward = intent.enabled;
  return {
    actions: [
      { kind: 'sysctl', ns: ns.target, key: IP_FORWARD, value: intent.enabled ? '1' : '0', previous, description: `turn IPv4 forwarding ${intent.enabled ? 'on' : 'off'} in ${where}` },
    ],
  };
}
