import { describe, expect, it, vi } from 'vitest';
import type { CounterValues, CountersSample } from '../../../../protocol/src/index.js';
import { createCountersStore, HISTORY_POINTS } from '../../../../renderer/src/traffic/counters-store.js';
import { busiestLinks, trafficLinks } from '../../../../renderer/src/traffic/links.js';
import { labSnapshot, HOST, NS1 } from '../../../fixtures/snapshots/lab-snapshot.js';

const v = (rx: number, tx = 0): CounterValues => ({ rxBytes: rx, txBytes: tx, rxPackets: rx / 100, txPackets: tx / 100, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 });
const sample = (at: number, ifs: [string, number, number][]): CountersSample => ({ at, periodMs: 1000, coalesced: 0, interfaces: ifs.map(([id, rx, total]) => ({ id, rates: v(rx), totals: v(total) })) });

describe('counters store', () => {
  it('replaces and wakes only the interfaces whose numbers moved', () => {
    const s = createCountersStore();
    const a = vi.fn();
    const b = vi.fn();
    const all = vi.fn();
    s.subscribeId('A', a);
    s.subscribeId('B', b);
    s.subscribe(all);
    s.applySample(sample(1000, [['A', 100, 1000], ['B', 0, 50]]));
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    const bEntry = s.get('B');
    s.applySample(sample(2000, [['A', 200, 1200], ['B', 0, 50]]));
    expect(a).toHaveBeenCalledTimes(2);
    expect(b).toHaveBeenCalledTimes(1);
    expect(s.get('B')).toBe(bEntry);
    expect(s.get('A')?.rates?.rxBytes).toBe(200);
    expect(all).toHaveBeenCalledTimes(2);
    expect(s.getState()).toMatchObject({ at: 2000, status: 'live' });
    // B keeps a history even while unchanged, for its chart.
    expect(s.history('B')?.written).toBe(2);
  });

  it('drops interfaces that left, ignores samples while paused, and keeps a bounded history', () => {
    const s = createCountersStore();
    const b = vi.fn();
    s.subscribeId('B', b);
    s.applySample(sample(1, [['A', 1, 1], ['B', 1, 1]]));
    s.applySample(sample(2, [['A', 1, 1]]));
    expect(s.get('B')).toBeUndefined();
    expect(b).toHaveBeenCalledTimes(2);
    s.setPaused(true);
    s.applySample(sample(3, [['A', 9, 9]]));
    expect(s.get('A')?.rates?.rxBytes).toBe(1);
    expect(s.getState().status).toBe('paused');
    s.setPaused(false);
    for (let i = 0; i < HISTORY_POINTS + 50; i++) s.applySample(sample(10 + i, [['A', i, i]]));
    expect(s.history('A')?.at.length).toBe(HISTORY_POINTS);
  });

  it('lists the busiest links, veth pairs once and bridge ports', () => {
    const snap = labSnapshot();
    const links = trafficLinks(snap);
    expect(links.map((l) => l.label)).toEqual(['veth1a2b3c ↔ eth0 (web)', 'veth01 ↔ eth0 (ns1)']);
    const s = createCountersStore();
    s.applySample(sample(1, [[`${HOST}/10`, 5000, 0], [`${HOST}/12`, 90_000, 0], [`${NS1}/2`, 7, 0]]));
    expect(busiestLinks(links, s.get).map((x) => [x.link.counterId, x.rate])).toEqual([
      [`${HOST}/12`, 90_000],
      [`${HOST}/10`, 5000],
    ]);
  });
});
