import { TAKEN_OVER_REASON } from '../../../protocol/src/index.js';
import type { NetloomApi } from '../api/netloom-api.js';
import type { TopologyStore } from './topology-store.js';

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/**
 * Keeps the store fed from topology.watch: the first data is a snapshot, then patches.
 * When the stream or the connection ends, the last picture stays (marked stale) and a
 * new connection is tried after a growing pause — except when another page took the session
 * over (browser mode): then only the person resumes. Returns a function that stops it all.
 */
export function startLiveTopology(store: TopologyStore, connect: () => NetloomApi, schedule: (fn: () => void, ms: number) => () => void = defaultSchedule): () => void {
  let stopped = false;
  let attempt = 0;
  let cancelTimer: (() => void) | null = null;
  let current: NetloomApi | null = null;

  const lost = (reason: string) => {
    if (stopped) return;
    current?.client.close();
    current = null;
    // The stream's end can come first, as "the helper is gone (<reason>)".
    if (reason.includes(TAKEN_OVER_REASON)) {
      // Retrying by itself would take the session back from the other page, which would do the same.
      store.setConnection({ state: 'disconnected', reason: TAKEN_OVER_REASON, retryAt: null, resume: () => open() });
      return;
    }
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30000;
    attempt++;
    store.setConnection({ state: 'disconnected', reason, retryAt: Date.now() + delay });
    cancelTimer = schedule(open, delay);
  };

  function open() {
    if (stopped) return;
    store.setConnection({ state: 'connecting' });
    const api = connect();
    current = api;
    let ended = false;
    const end = (reason: string) => {
      if (ended || current !== api) return;
      ended = true;
      lost(reason);
    };
    api.client.onClose((reason) => end(reason));
    api.client.watch(
      'topology.watch',
      {},
      (data) => {
        if ('snapshot' in data) {
          attempt = 0;
          store.setSnapshot(data.snapshot);
          store.setConnection({ state: 'live' }, api.mode);
        } else store.applyPatch(data.patch);
      },
      (e) => end(e.message ?? `the topology stream ended (${e.reason})`),
    );
  }

  open();
  return () => {
    stopped = true;
    cancelTimer?.();
    current?.client.close();
  };
}

function defaultSchedule(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
}
