import type { StreamHandle } from '../../../protocol/src/index.js';
import type { TopologyStore } from '../store/topology-store.js';
import type { ApiHolder } from './api-holder.js';
import type { CountersStore } from './counters-store.js';

export interface CountersFeed {
  pause(): void;
  resume(): void;
  stop(): void;
}

/**
 * Feeds the counters store from counters.watch on the current connection: opened when the
 * topology goes live, reopened after a reconnect, closed while paused (the helper then
 * reads nothing for us).
 */
export function startCountersFeed(counters: CountersStore, topology: TopologyStore, apis: ApiHolder, intervalMs = 1000): CountersFeed {
  let handle: StreamHandle | null = null;
  let watching: unknown = null;
  let stopped = false;
  const close = () => {
    handle?.cancel();
    handle = null;
    watching = null;
  };
  const sync = () => {
    if (stopped) return;
    const live = topology.getState().connection.state === 'live';
    const api = apis.current();
    if (!live || !api || counters.getState().paused) {
      if (!live) close();
      return;
    }
    if (watching === api.client) return;
    close();
    watching = api.client;
    counters.setStatus('waiting');
    const mine = api.client.watch(
      'counters.watch',
      { intervalMs },
      (sample) => counters.applySample(sample),
      () => {
        if (handle !== mine) return;
        handle = null;
        counters.setStatus('waiting');
      },
    );
    handle = mine;
  };
  const unsubscribe = topology.subscribe(sync);
  sync();
  return {
    pause() {
      counters.setPaused(true);
      close();
    },
    resume() {
      counters.setPaused(false);
      sync();
    },
    stop() {
      stopped = true;
      unsubscribe();
      close();
    },
  };
}
