import { describe, expect, it } from 'vitest';
import { CaptureBudget } from '../../../../helper/server/capture-budget.js';
import { TaskQueue } from '../../../../helper/streams/filter-queue.js';

const MiB = 1024 * 1024;

describe('capture budget (issue 13 item 5)', () => {
  it('caps running captures per connection and in all', () => {
    const b = new CaptureBudget({ perConnection: 4, total: 6, ringBytes: 1024 * MiB });
    const [a, c] = [{}, {}];
    for (let i = 0; i < 4; i++) b.reserve(a, MiB, () => {});
    expect(() => b.reserve(a, MiB, () => {})).toThrow(/already runs 4 captures, the most one connection may run at once/);
    b.reserve(c, MiB, () => {});
    b.reserve(c, MiB, () => {});
    expect(() => b.reserve(c, MiB, () => {})).toThrow(/netloom already runs 6 captures/);
    expect(b.running).toBe(6);
  });

  it('sums the rings: running ones by their limit, ended ones by what they hold; the connection\'s oldest ended ones make room', () => {
    const b = new CaptureBudget({ perConnection: 8, total: 16, ringBytes: 256 * MiB });
    const owner = {};
    const forgotten: number[] = [];
    const leases = [0, 1, 2].map((i) => {
      const l = b.reserve(owner, 64 * MiB, () => {
        forgotten.push(i);
        l.release();
      });
      return l;
    });
    leases[0]?.ended(10 * MiB);
    leases[1]?.ended(60 * MiB);
    expect(b.heldBytes).toBe(134 * MiB);
    // 134 + 160 > 256: the oldest ended one (10 MiB) goes, then the next (60 MiB).
    b.reserve(owner, 160 * MiB, () => {});
    expect(forgotten).toEqual([0, 1]);
    expect(b.heldBytes).toBe(224 * MiB);
    expect(() => b.reserve({}, 64 * MiB, () => {})).toThrow(/at most 256 MiB of packets in all and 224 MiB are taken by 2 capture\(s\): stop one, or ask for a ring of at most 32 MiB/);
  });

  it('a ring bigger than the whole budget is refused naming ringBytes', () => {
    const b = new CaptureBudget();
    expect(() => b.reserve({}, 1024 * MiB, () => {})).toThrow(expect.objectContaining({ code: 'invalid', path: 'ringBytes' }));
  });
});

describe('filter checks go through a small queue', () => {
  it('300 asked at once: never more than 2 running, 32 waiting, the rest refused; all waiting ones run', async () => {
    const q = new TaskQueue(2, 32);
    let now = 0;
    let peak = 0;
    const task = async (): Promise<string> => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((r) => setTimeout(r, 2));
      now--;
      return 'ok';
    };
    const results = await Promise.allSettled(Array.from({ length: 300 }, () => q.run(task)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(peak).toBe(2);
    expect(ok).toBe(34);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'unavailable' } });
    expect([q.active, q.waiting]).toEqual([0, 0]);
  });

  it('a check cancelled while it waits leaves the line', async () => {
    const q = new TaskQueue(1, 5);
    let release!: () => void;
    const first = q.run(() => new Promise<void>((r) => (release = r)));
    const ac = new AbortController();
    const second = q.run(async () => 'ran', ac.signal);
    expect(q.waiting).toBe(1);
    ac.abort();
    await expect(second).rejects.toMatchObject({ code: 'cancelled' });
    expect(q.waiting).toBe(0);
    release();
    await first;
    expect(q.active).toBe(0);
  });
});
