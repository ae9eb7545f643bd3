import type { Handlers } from './handler.js';
import { topologyGet } from './topology-get.js';
import { topologyWatch } from './topology-watch.js';

/** The one map from method name to handler; its type makes a missing method a compile error. */
export const HANDLERS: Handlers = {
  'topology.get': topologyGet,
  'topology.watch': topologyWatch,
};
