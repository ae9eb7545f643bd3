import type { CounterValues, CountersSample } from '../../../protocol/src/index.js';
import { holdRate, recentMean } from './steady-rate.js';
import type { Steady } from './steady-rate.js';

/** Samples kept per interface for the inspector's chart (5 minutes at 1 Hz). */
export const HISTORY_POINTS = 300;

/** One interface's latest counters. A new object only when its rates or totals changed. */
export interface CounterEntry {
  id: string;
  rates: CounterValues | null;
  totals: CounterValues;
  at: number;
  /** Both directions, bytes/s, as labels show it: averaged over a few seconds and held (steady-rate.ts). */
  steady: Steady;
}

/** Fixed-size rings of rx/tx bytes/s per interface: no allocation per tick. */
export interface RateHistory {
  at: Float64Array;
  rx: Float64Array;
  tx: Float64Array;
  /** Points written so far (the ring holds the last HISTORY_POINTS of them). */
  written: number;
}

export interface CountersState {
  /** Time of the last sample (0 before the first). */
  at: number;
  paused: boolean;
  /** The stream's state for the UI ("live", "paused", "waiting"). */
  status: 'waiting' | 'live' | 'paused';
}

export interface CountersStore {
  get(id: string): CounterEntry | undefined;
  history(id: string): RateHistory | undefined;
  all(): ReadonlyMap<string, CounterEntry>;
  getState(): CountersState;
  /** Listens to one interface: called only when that interface's entry changed. */
  subscribeId(id: string, listener: () => void): () => void;
  /** Listens to every sample and state change (the busiest-links list, the chart). */
  subscribe(listener: () => void): () => void;
  applySample(sample: CountersSample): void;
  setStatus(status: CountersState['status']): void;
  setPaused(paused: boolean): void;
}

const sameValues = (a: CounterValues | null, b: CounterValues | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.rxBytes === b.rxBytes &&
    a.txBytes === b.txBytes &&
    a.rxPackets === b.rxPackets &&
    a.txPackets === b.txPackets &&
    a.rxErrors === b.rxErrors &&
    a.txErrors === b.txErrors &&
    a.rxDropped === b.rxDropped &&
    a.txDropped === b.txDropped);

/**
 * Counters keyed by interface id, apart from the topology store (STYLE §9): a sample
 * replaces only the entries whose numbers moved and wakes only their listeners, so a tick
 * re-renders the edges that changed and nothing else.
 */
export function createCountersStore(): CountersStore {
  const entries = new Map<string, CounterEntry>();
  const histories = new Map<string, RateHistory>();
  const idListeners = new Map<string, Set<() => void>>();
  const listeners = new Set<() => void>();
  let state: CountersState = { at: 0, paused: false, status: 'waiting' };
  const notifyAll = () => {
    for (const l of [...listeners]) l();
  };
  const record = (id: string, at: number, rates: CounterValues | null) => {
    let h = histories.get(id);
    if (!h) {
      h = { at: new Float64Array(HISTORY_POINTS), rx: new Float64Array(HISTORY_POINTS), tx: new Float64Array(HISTORY_POINTS), written: 0 };
      histories.set(id, h);
    }
    const k = h.written % HISTORY_POINTS;
    h.at[k] = at;
    h.rx[k] = rates ? rates.rxBytes : Number.NaN;
    h.tx[k] = rates ? rates.txBytes : Number.NaN;
    h.written++;
  };
  return {
    get: (id) => entries.get(id),
    history: (id) => histories.get(id),
    all: () => entries,
    getState: () => state,
    subscribeId(id, l) {
      let set = idListeners.get(id);
      if (!set) idListeners.set(id, (set = new Set()));
      set.add(l);
      return () => {
        set.delete(l);
        if (set.size === 0) idListeners.delete(id);
      };
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    applySample(sample) {
      if (state.paused) return;
      const changed: string[] = [];
      const seen = new Set<string>();
      for (const c of sample.interfaces) {
        seen.add(c.id);
        record(c.id, sample.at, c.rates);
        const old = entries.get(c.id);
        if (old && sameValues(old.rates, c.rates) && sameValues(old.totals, c.totals)) continue;
        const steady = holdRate(old?.steady ?? { shown: 0, drift: 0 }, recentMean(histories.get(c.id)));
        entries.set(c.id, { id: c.id, rates: c.rates, totals: c.totals, at: sample.at, steady });
        changed.push(c.id);
      }
      // Interfaces that left the host leave the store too.
      for (const id of entries.keys()) {
        if (seen.has(id)) continue;
        entries.delete(id);
        histories.delete(id);
        changed.push(id);
      }
      state = { ...state, at: sample.at, status: 'live' };
      for (const id of changed) for (const l of [...(idListeners.get(id) ?? [])]) l();
      notifyAll();
    },
    setStatus(status) {
      if (state.status === status) return;
      state = { ...state, status: state.paused ? 'paused' : status };
      notifyAll();
    },
    setPaused(paused) {
      state = { ...state, paused, status: paused ? 'paused' : 'waiting' };
      notifyAll();
    },
  };
}

/** Both directions of an entry's traffic, bytes/s (0 before the first rates). */
export function totalRate(e: CounterEntry | undefined): number {
  return e?.rates ? e.rates.rxBytes + e.rates.txBytes : 0;
}

/** What a label shows for an entry: the steady rate (averaged, held), bytes/s. */
export function labelRate(e: CounterEntry | undefined): number {
  return e?.rates ? e.steady.shown : 0;
}
