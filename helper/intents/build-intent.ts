import type { Intent } from '../../protocol/src/intents.js';
import type { BuildEnv, BuildResult } from './actions.js';
import { buildAddrAdd, buildAddrDelete } from './addr.js';
import { buildForwardAllow } from './forward-allow.js';
import { buildForwardingSet } from './forwarding.js';
import { buildBridgeCreate, buildLinkDelete, buildLinkSet, buildVethCreate } from './link.js';
import { buildMasquerade, buildPortmap, buildRuleRemove } from './nat.js';
import { buildNetnsCreate, buildNetnsDelete } from './netns.js';
import { buildRoute } from './route.js';

/** One intent → its actions, checked against (and applied to) the working state. `at` is its field path. */
export function buildIntent(intent: Intent, env: BuildEnv, at: string): BuildResult {
  switch (intent.op) {
    case 'netns.create':
      return buildNetnsCreate(intent, env, at);
    case 'netns.delete':
      return buildNetnsDelete(intent, env, at);
    case 'bridge.create':
      return buildBridgeCreate(intent, env, at);
    case 'veth.create':
      return buildVethCreate(intent, env, at);
    case 'link.set':
      return buildLinkSet(intent, env, at);
    case 'link.delete':
      return buildLinkDelete(intent, env, at);
    case 'addr.add':
      return buildAddrAdd(intent, env, at);
    case 'addr.delete':
      return buildAddrDelete(intent, env, at);
    case 'route.add':
    case 'route.delete':
      return buildRoute(intent, env, at);
    case 'forwarding.set':
      return buildForwardingSet(intent, env, at);
    case 'nat.masquerade.add':
      return buildMasquerade(intent, env, at);
    case 'portmap.add':
      return buildPortmap(intent, env, at);
    case 'rule.remove':
      return buildRuleRemove(intent, env, at);
    case 'forward.allow':
      return buildForwardAllow(intent, env, at);
  }
}
