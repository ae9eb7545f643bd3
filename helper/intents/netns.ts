import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { BuildEnv, BuildResult } from './actions.js';
import { newNamespaceState, resolveNs } from './actions.js';

/** `ip netns add NAME` — a named namespace, kept alive by its bind mount in /run/netns. */
export function buildNetnsCreate(intent: IntentOf<'netns.create'>, env: BuildEnv, at: string): BuildResult {
  if (env.state.namespaces.some((n) => n.target.name === intent.name)) {
    throw new ProtocolError('conflict', `namespace ${intent.name} already exists`, { path: `${at}.name` });
  }
  const host = resolveNs(env, undefined, at);
  const created = newNamespaceState(intent.name);
  env.state.namespaces.push(created);
  return {
    actions: [
      { kind: 'ip', ns: host.target, args: ['netns', 'add', intent.name], undo: ['netns', 'delete', intent.name], description: `create namespace ${intent.name}`, touches: [created.target.id] },
    ],
  };
}

/** `ip netns delete NAME` — the interfaces inside go with it, so it cannot be undone. */
export function buildNetnsDelete(intent: IntentOf<'netns.delete'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.name, `${at}.name`);
  if (ns.target.own) throw new ProtocolError('invalid', 'the host namespace cannot be deleted', { path: `${at}.name` });
  const host = resolveNs(env, undefined, at);
  env.state.namespaces = env.state.namespaces.filter((n) => n !== ns);
  const inside = ns.links.filter((l) => l.name !== 'lo').map((l) => l.name);
  return {
    actions: [
      {
        kind: 'ip',
        ns: host.target,
        args: ['netns', 'delete', intent.name],
        undo: null,
        irreversible: 'a deleted namespace cannot be brought back with its interfaces, addresses and routes',
        description: `delete namespace ${intent.name}${inside.length ? ` (and ${inside.join(', ')} inside it)` : ''}`,
      },
    ],
  };
}
