import { createContext, useContext, useSyncExternalStore } from 'react';
import type { HelperClient } from '../../../protocol/src/index.js';
import type { CapturesState, CapturesStore } from './captures-store.js';
import type { CaptureSession, CaptureView } from './capture-session.js';
import type { CounterEntry, CountersState, CountersStore } from './counters-store.js';
import type { CountersFeed } from './counters-feed.js';

/** What the traffic views need: counters, the capture tabs, the helper connection. */
export interface Traffic {
  counters: CountersStore;
  feed: Pick<CountersFeed, 'pause' | 'resume'>;
  captures: CapturesStore;
  client: () => HelperClient | null;
}

export const TrafficContext = createContext<Traffic | null>(null);

export function useTraffic(): Traffic | null {
  return useContext(TrafficContext);
}

const noSubscribe = () => () => {};

/** One interface's counters; re-renders only when that interface's entry changes. */
export function useCounterEntry(id: string | null | undefined): CounterEntry | undefined {
  const t = useTraffic();
  return useSyncExternalStore(
    t && id ? (l) => t.counters.subscribeId(id, l) : noSubscribe,
    () => (t && id ? t.counters.get(id) : undefined),
  );
}

/** A derived value of one interface's counters (e.g. the edge's label): re-renders only when it changes. */
export function useCounterValue<T extends string | number | null>(id: string | null | undefined, pick: (e: CounterEntry | undefined) => T): T {
  const t = useTraffic();
  return useSyncExternalStore(
    t && id ? (l) => t.counters.subscribeId(id, l) : noSubscribe,
    () => pick(t && id ? t.counters.get(id) : undefined),
  );
}

const idleCounters: CountersState = { at: 0, paused: false, status: 'waiting' };

/** Re-renders on every sample: for the few views that show many interfaces or a chart. */
export function useCountersTick(): CountersState {
  const t = useTraffic();
  return useSyncExternalStore(t ? t.counters.subscribe : noSubscribe, () => (t ? t.counters.getState() : idleCounters));
}

const noCaptures: CapturesState = { sessions: [], active: null, sideBySide: false };

export function useCaptures(): CapturesState {
  const t = useTraffic();
  return useSyncExternalStore(t ? t.captures.subscribe : noSubscribe, () => (t ? t.captures.getState() : noCaptures));
}

export function useCaptureView(s: CaptureSession): CaptureView {
  return useSyncExternalStore(
    (l) => s.subscribe(l),
    () => s.get(),
  );
}
