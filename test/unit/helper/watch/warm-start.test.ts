import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import type { TopologyFeed } from '../../../../helper/server/context.js';
import { holdWarm } from '../../../../helper/watch/warm-start.js';

afterEach(() => vi.useRealTimers());

/** A feed that counts its members, as LiveTopology does. */
function countingFeed(ready: Promise<void> = Promise.resolve()) {
  const state = { members: 0, subscribed: 0 };
  const feed: TopologyFeed = {
    snapshot: () => Promise.reject(new Error('unused')),
    subscribe: async (_on, signal) => {
      state.subscribed++;
      state.members++;
      await ready;
      if (signal?.aborted) {
        state.members--;
        throw new Error('cancelled');
      }
      return { initial: {} as Snapshot, unsubscribe: () => void state.members-- };
    },
  };
  return { feed, state };
}

describe('holdWarm (browser mode reads the host while the page loads)', () => {
  it('subscribes at once and leaves after the hold', async () => {
    vi.useFakeTimers();
    const { feed, state } = countingFeed();
    holdWarm(feed, 30_000, () => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(state.members).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state.members).toBe(0);
  });

  it('released early (shutdown) leaves at once, even while the first read is still running', async () => {
    let finish!: () => void;
    const { feed, state } = countingFeed(new Promise<void>((r) => (finish = r)));
    const release = holdWarm(feed, 30_000, () => {});
    release();
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(state.subscribed).toBe(1);
    expect(state.members).toBe(0);
  });

  it('says so when the read fails, and does not throw', async () => {
    const log = vi.fn();
    const feed: TopologyFeed = { snapshot: () => Promise.reject(new Error('x')), subscribe: () => Promise.reject(new Error('no ip here')) };
    holdWarm(feed, 1000, log);
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toHaveBeenCalledWith('netloom: reading the topology ahead failed: no ip here');
  });
});
