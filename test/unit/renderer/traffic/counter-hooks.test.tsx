// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CountersSample } from '../../../../protocol/src/index.js';
import { createCapturesStore } from '../../../../renderer/src/traffic/captures-store.js';
import { createCountersStore, totalRate } from '../../../../renderer/src/traffic/counters-store.js';
import { humanRate } from '../../../../renderer/src/traffic/format-rate.js';
import { TrafficContext, useCounterValue } from '../../../../renderer/src/traffic/traffic-context.js';

afterEach(cleanup);

const renders: Record<string, number> = {};
function EdgeLabel({ id }: { id: string }) {
  renders[id] = (renders[id] ?? 0) + 1;
  const text = useCounterValue(id, (e) => humanRate(totalRate(e)));
  return <span aria-label={`edge ${id}`}>{text}</span>;
}

const sample = (at: number, a: number, b: number): CountersSample => {
  const v = (x: number) => ({ rxBytes: x, txBytes: x, rxPackets: 1, txPackets: 1, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 });
  return { at, periodMs: 1000, coalesced: 0, interfaces: [{ id: 'A', rates: v(a), totals: v(a) }, { id: 'B', rates: v(b), totals: v(b) }] };
};

describe('counter hooks', () => {
  it('a tick re-renders only the edges whose label changed', () => {
    const counters = createCountersStore();
    render(
      <TrafficContext.Provider value={{ counters, feed: { pause() {}, resume() {} }, captures: createCapturesStore(() => null), client: () => null }}>
        <EdgeLabel id="A" />
        <EdgeLabel id="B" />
      </TrafficContext.Provider>,
    );
    act(() => counters.applySample(sample(1, 600_000, 100)));
    expect(screen.getByLabelText('edge A').textContent).toBe('1.2 MB/s');
    expect(screen.getByLabelText('edge B').textContent).toBe('200 B/s');
    const before = { ...renders };
    // A changes but its label stays "1.2 MB/s"; B's label changes.
    act(() => counters.applySample(sample(2, 600_010, 300)));
    expect(renders.A).toBe(before.A);
    expect(renders.B).toBe((before.B ?? 0) + 1);
    expect(screen.getByLabelText('edge B').textContent).toBe('600 B/s');
  });
});
