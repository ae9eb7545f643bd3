import type { CounterValues, InterfaceCounters } from '../../protocol/src/counters.js';

const KEYS = ['rxBytes', 'txBytes', 'rxPackets', 'txPackets', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped'] as const;

/**
 * Turns successive counter totals into per-second rates. An interface seen for the first time,
 * or whose counters went backwards (recreated with the same id), gets `rates: null` once.
 */
export class RateTracker {
  private prev = new Map<string, { at: number; totals: CounterValues }>();

  update(at: number, totals: Map<string, CounterValues>): InterfaceCounters[] {
    const out: InterfaceCounters[] = [];
    const next = new Map<string, { at: number; totals: CounterValues }>();
    for (const [id, t] of totals) {
      const p = this.prev.get(id);
      next.set(id, { at, totals: t });
      const dt = p ? (at - p.at) / 1000 : 0;
      if (!p || dt <= 0 || KEYS.some((k) => t[k] < p.totals[k])) {
        out.push({ id, rates: null, totals: t });
        continue;
      }
      const rates = Object.fromEntries(KEYS.map((k) => [k, (t[k] - p.totals[k]) / dt])) as CounterValues;
      out.push({ id, rates, totals: t });
    }
    this.prev = next;
    return out;
  }
}
