import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../../../helper/intents/journal.js';
import { nsreadPath, useNsreadAt } from '../../../../helper/native/nsread-path.js';

// Issue 13 item 2: the journal lock is exclusive in this process (a queue) and across
// processes (flock on the lock file, taken by netloom-nsread --flock or util-linux flock).

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netloom-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Another process holding the flock on the lock file until it is killed (util-linux flock runs sleep). */
async function holder(file: string): Promise<ChildProcess> {
  await new Journal(dir).withLock(async () => {}); // the lock file, as netloom makes it (0600, 4 KiB)
  // -o: the lock is flock's own, not its command's, so killing flock frees it.
  const child = spawn('flock', ['-o', '-x', file, 'sleep', '10'], { stdio: 'ignore' });
  // Wait until it holds it: our own non-blocking attempt is refused.
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const busy = await new Journal(dir).withLock(async () => false, { waitMs: 0 }).catch(() => true);
    if (busy) return child;
  }
  throw new Error('the holder never took the lock');
}

const built = nsreadPath();
for (const via of ['netloom-nsread --flock', 'util-linux flock'] as const) {
  describe(`journal lock through ${via}`, () => {
    beforeEach(() => {
      if (via === 'util-linux flock') useNsreadAt('/nonexistent/netloom-nsread');
      else if (built !== null) useNsreadAt(built);
    });
    afterEach(() => {
      if (built !== null) useNsreadAt(built);
    });
    if (via === 'netloom-nsread --flock' && built === null) return void it.skip('netloom-nsread was not built', () => {});

    it('two writers of one process take turns, in order, never overlapping', async () => {
      const journal = new Journal(dir);
      const events: string[] = [];
      const waits: string[] = [];
      const job = (name: string) => async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        events.push(`${name} out`);
        return name;
      };
      const results = await Promise.all([
        journal.withLock(job('a'), { who: 'netloom apply a' }),
        journal.withLock(job('b'), { who: 'netloom apply b', onWait: (h) => waits.push(h) }),
        new Journal(dir).withLock(job('c'), { who: 'netloom apply c' }),
      ]);
      expect(results).toEqual(['a', 'b', 'c']);
      expect(events).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
      expect(waits).toEqual(['this process: netloom apply a']);
    });

    it('another process holding it: refused at once with busy (waitMs 0), or waited for — saying who holds it', async () => {
      const journal = new Journal(dir);
      const other = await holder(journal.lockFile);
      try {
        await expect(journal.withLock(async () => 1, { waitMs: 0 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/^busy: another netloom/), details: { busy: true } });
        const waits: string[] = [];
        const started = Date.now();
        setTimeout(() => other.kill('SIGKILL'), 400);
        expect(await journal.withLock(async () => 'mine', { waitMs: 5000, onWait: (h) => waits.push(h) })).toBe('mine');
        expect(Date.now() - started).toBeGreaterThanOrEqual(350);
        expect(waits.length).toBeGreaterThanOrEqual(1);
      } finally {
        other.kill('SIGKILL');
      }
    });

    it('a waiter gives up with busy at its deadline, and the lock is still the holder\'s', async () => {
      const journal = new Journal(dir);
      const other = await holder(journal.lockFile);
      try {
        const started = Date.now();
        await expect(journal.withLock(async () => 1, { waitMs: 300 })).rejects.toMatchObject({ code: 'conflict', details: { busy: true } });
        expect(Date.now() - started).toBeLessThan(3000);
        await expect(journal.withLock(async () => 1, { waitMs: 0 })).rejects.toMatchObject({ details: { busy: true } });
      } finally {
        other.kill('SIGKILL');
      }
    });

    it('a lock file left by a dead netloom (any content) is no lock: nothing stale to take over', async () => {
      writeFileSync(join(dir, 'lock'), '2147483646 netloom apply\n', { mode: 0o600 });
      expect(await new Journal(dir).withLock(async () => 'free', { waitMs: 0 })).toBe('free');
    });

    it('the holder is kill -9ed: the kernel frees the lock at once', async () => {
      const journal = new Journal(dir);
      const other = await holder(journal.lockFile);
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
      expect(await journal.withLock(async () => 'after kill', { waitMs: 1000 })).toBe('after kill');
    });
  });
}

describe('journal lock file trust', () => {
  it('a lock file someone else owns is refused, and nothing runs', async () => {
    writeFileSync(join(dir, 'lock'), '', { mode: 0o600 });
    chownSync(join(dir, 'lock'), 1000, 1000);
    let ran = false;
    await expect(
      new Journal(dir).withLock(async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: 'denied', message: expect.stringContaining('belongs to uid 1000') });
    expect(ran).toBe(false);
  });
});
