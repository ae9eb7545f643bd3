import { describe, expect, it } from 'vitest';
import { createTopologyStore } from '../../../../renderer/src/store/topology-store.js';
import { createApiHolder } from '../../../../renderer/src/traffic/api-holder.js';
import { startCountersFeed } from '../../../../renderer/src/traffic/counters-feed.js';
import { createCountersStore } from '../../../../renderer/src/traffic/counters-store.js';
import { fakeClient } from './fake-client.js';

describe('counters feed', () => {
  it('watches counters once the topology is live, stops while paused, and follows a reconnect', () => {
    const topology = createTopologyStore();
    const apis = createApiHolder();
    const fakes = [fakeClient(() => ({})), fakeClient(() => ({}))];
    let k = 0;
    const connect = apis.connect(() => ({ client: (fakes[k++] ?? fakes[0])!.client, mode: 'browser' }));
    const counters = createCountersStore();
    connect();
    const feed = startCountersFeed(counters, topology, apis);
    expect(fakes[0]!.streams).toHaveLength(0);
    topology.setConnection({ state: 'live' }, 'browser');
    expect(fakes[0]!.streams.map((s) => [s.method, s.params])).toEqual([['counters.watch', { intervalMs: 1000 }]]);
    fakes[0]!.streams[0]!.onData({ at: 5, periodMs: 1000, coalesced: 0, interfaces: [{ id: 'X', rates: null, totals: { rxBytes: 1, txBytes: 1, rxPackets: 1, txPackets: 1, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 } }] });
    expect(counters.get('X')?.totals.rxBytes).toBe(1);
    feed.pause();
    expect(fakes[0]!.streams[0]!.cancelled).toBe(true);
    expect(counters.getState().status).toBe('paused');
    feed.resume();
    expect(fakes[0]!.streams).toHaveLength(2);
    // The connection drops and live-topology opens a new one.
    topology.setConnection({ state: 'disconnected', reason: 'gone', retryAt: null });
    expect(fakes[0]!.streams[1]!.cancelled).toBe(true);
    connect();
    topology.setConnection({ state: 'live' }, 'browser');
    expect(fakes[1]!.streams).toHaveLength(1);
    feed.stop();
    expect(fakes[1]!.streams[0]!.cancelled).toBe(true);
  });
});
