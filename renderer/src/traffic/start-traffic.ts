import type { TopologyStore } from '../store/topology-store.js';
import type { ApiHolder } from './api-holder.js';
import { createCapturesStore } from './captures-store.js';
import { startCountersFeed } from './counters-feed.js';
import { createCountersStore } from './counters-store.js';
import type { Traffic } from './traffic-context.js';

/** The traffic half of the app: counters fed from the current connection, capture tabs on it. */
export function startTraffic(topology: TopologyStore, apis: ApiHolder): Traffic {
  const counters = createCountersStore();
  const feed = startCountersFeed(counters, topology, apis);
  const client = () => apis.current()?.client ?? null;
  return { counters, feed, captures: createCapturesStore(client), client };
}
