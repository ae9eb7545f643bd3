import { describe, expect, it } from 'vitest';
import { HelperClient, encodeLine } from '../../../../protocol/src/index.js';
import type { Transport } from '../../../../protocol/src/index.js';
import type { NetloomApi } from '../../../../renderer/src/api/netloom-api.js';
import { TAKEN_OVER_REASON } from '../../../../protocol/src/browser-mode.js';
import { startLiveTopology } from '../../../../renderer/src/store/live-topology.js';
import { createTopologyStore } from '../../../../renderer/src/store/topology-store.js';
import { HOST, iface, labSnapshot, NS1 } from '../../../fixtures/snapshots/lab-snapshot.js';

/** A helper on the other end of an in-memory transport: answers topology.watch with what the test pushes. */
function fakeHelper() {
  let toClient: (t: string) => void = () => {};
  let closeClient: (r: string) => void = () => {};
  const sent: unknown[] = [];
  let streamId: number | string | null = null;
  const transport: Transport = {
    send: (t) => {
      for (const line of t.split('\n').filter(Boolean)) {
        const m = JSON.parse(line) as { id: number; method?: string };
        sent.push(m);
        if (m.method === 'topology.watch') {
          streamId = m.id;
          toClient(encodeLine({ id: m.id, result: { stream: m.id } }));
        }
      }
    },
    onText: (cb) => {
      toClient = cb;
    },
    onClose: (cb) => {
      closeClient = cb;
    },
    close: () => {},
  };
  let seq = 0;
  return {
    transport,
    sent,
    init: () => toClient(encodeLine({ init: { version: '0.1.0', capabilities: [] } })),
    push: (data: unknown) => toClient(encodeLine({ stream: streamId, seq: seq++, data })),
    close: (reason: string) => closeClient(reason),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('topology store fed by topology.watch', () => {
  it('takes the first snapshot, applies patches keeping untouched objects, and marks the picture stale when the helper goes', async () => {
    const store = createTopologyStore();
    const helpers: ReturnType<typeof fakeHelper>[] = [];
    const timers: (() => void)[] = [];
    const connect = (): NetloomApi => {
      const h = fakeHelper();
      helpers.push(h);
      return { client: new HelperClient(h.transport), mode: 'browser' };
    };
    const stop = startLiveTopology(store, connect, (fn) => {
      timers.push(fn);
      return () => {};
    });
    expect(store.getState().connection.state).toBe('connecting');
    helpers[0]?.init();
    await tick();
    helpers[0]?.push({ snapshot: labSnapshot() });
    await tick();
    expect(store.getState().connection.state).toBe('live');
    const before = store.getState().snapshot;
    expect(before?.interfaces).toHaveLength(10);

    helpers[0]?.push({ patch: { takenAt: 't2', upsertInterfaces: [iface(HOST, 30, 'veth30', 'veth')] } });
    await tick();
    const after = store.getState().snapshot;
    expect(after?.interfaces).toHaveLength(11);
    expect(after?.interfaces.find((i) => i.id === `${NS1}/2`)).toBe(before?.interfaces.find((i) => i.id === `${NS1}/2`));

    helpers[0]?.close('helper exited');
    await tick();
    const st = store.getState();
    expect(st.connection).toMatchObject({ state: 'disconnected', reason: expect.stringContaining('helper exited') });
    expect(st.stale).toBe(true);
    expect(st.snapshot).toBe(after);

    // The retry opens a new connection; its snapshot makes the picture live again.
    timers.shift()?.();
    expect(helpers).toHaveLength(2);
    helpers[1]?.init();
    await tick();
    helpers[1]?.push({ snapshot: labSnapshot() });
    await tick();
    expect(store.getState()).toMatchObject({ stale: false, connection: { state: 'live' } });
    stop();
  });

  it('taken over by another page (browser mode): no retry by itself, and "resume" takes the session back', async () => {
    const store = createTopologyStore();
    const helpers: ReturnType<typeof fakeHelper>[] = [];
    const timers: (() => void)[] = [];
    const connect = (): NetloomApi => {
      const h = fakeHelper();
      helpers.push(h);
      return { client: new HelperClient(h.transport), mode: 'browser' };
    };
    const stop = startLiveTopology(store, connect, (fn) => {
      timers.push(fn);
      return () => {};
    });
    helpers[0]?.init();
    await tick();
    helpers[0]?.push({ snapshot: labSnapshot() });
    await tick();
    helpers[0]?.close(TAKEN_OVER_REASON);
    await tick();
    const c = store.getState().connection;
    expect(c).toMatchObject({ state: 'disconnected', reason: TAKEN_OVER_REASON, retryAt: null });
    expect(timers).toHaveLength(0);
    expect(helpers).toHaveLength(1);
    if (c.state !== 'disconnected' || !c.resume) throw new Error('no resume offered');
    c.resume();
    expect(helpers).toHaveLength(2);
    helpers[1]?.init();
    await tick();
    helpers[1]?.push({ snapshot: labSnapshot() });
    await tick();
    expect(store.getState().connection.state).toBe('live');
    stop();
  });
});
