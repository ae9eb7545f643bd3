import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { BuildEnv, BuildResult } from './actions.js';
import { nsLabel, requireLink, resolveNs } from './actions.js';

export function buildAddrAdd(intent: IntentOf<'addr.add'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const link = requireLink(ns, intent.dev, `${at}.dev`);
  if (link.addresses.includes(intent.cidr)) {
    throw new ProtocolError('conflict', `${intent.dev} in ${nsLabel(ns.target)} already has ${intent.cidr}`, { path: `${at}.cidr` });
  }
  link.addresses.push(intent.cidr);
  return {
    actions: [
      {
        kind: 'ip',
        ns: ns.target,
        args: ['addr', 'add', intent.cidr, 'dev', intent.dev],
        undo: ['addr', 'del', intent.cidr, 'dev', intent.dev],
        description: `add ${intent.cidr} to ${intent.dev} in ${nsLabel(ns.target)}`,
      },
    ],
  };
}

export function buildAddrDelete(intent: IntentOf<'addr.delete'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const link = requireLink(ns, intent.dev, `${at}.dev`);
  if (!link.addresses.includes(intent.cidr)) {
    throw new ProtocolError('not_found', `${intent.dev} in ${nsLabel(ns.target)} has no address ${intent.cidr}`, { path: `${at}.cidr` });
  }
  link.addresses = link.addresses.filter((a) => a !== intent.cidr);
  return {
    actions: [
      {
        kind: 'ip',
        ns: ns.target,
        args: ['addr', 'del', intent.cidr, 'dev', intent.dev],
        undo: ['addr', 'add', intent.cidr, 'dev', intent.dev],
        description: `remove ${intent.cidr} from ${intent.dev} in ${nsLabel(ns.target)}`,
      },
    ],
  };
}
