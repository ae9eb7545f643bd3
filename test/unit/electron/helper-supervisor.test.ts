import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeConnection } from './fake-connection.js';
import { HelperSupervisor, STABLE_MS, backoffMs } from '../../../electron/helper-supervisor.js';


function setup() {
  const conns: FakeConnection[] = [];
  const texts: string[] = [];
  const crashes: string[] = [];
  const sup = new HelperSupervisor(
    () => {
      const c = new FakeConnection();
      conns.push(c);
      return c;
    },
    { onText: (t) => texts.push(t), onCrash: (r) => crashes.push(r) },
  );
  return { sup, conns, texts, crashes };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('backoffMs', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('HelperSupervisor', () => {
  it('relays text and sends to the current helper', () => {
    const { sup, conns, texts } = setup();
    expect(sup.send('x')).toBe(false);
    sup.start();
    expect(sup.send('{"id":1}\n')).toBe(true);
    conns[0]!.emit('hello\n');
    expect(conns[0]!.sent).toEqual(['{"id":1}\n']);
    expect(texts).toEqual(['hello\n']);
  });

  it('restarts after crashes with 1 s, 2 s, 4 s … and reports each crash', () => {
    const { sup, conns, crashes } = setup();
    sup.start();
    const delays = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
    for (const [i, delay] of delays.entries()) {
      conns[i]!.crash('the helper exited with code 1');
      expect(sup.running).toBe(false);
      vi.advanceTimersByTime(delay - 1);
      expect(conns).toHaveLength(i + 1);
      vi.advanceTimersByTime(1);
      expect(conns).toHaveLength(i + 2);
    }
    expect(crashes[0]).toBe('the helper exited with code 1; restarting it in 1 s');
    expect(crashes[6]).toBe('the helper exited with code 1; restarting it in 30 s');
  });

  it('starts the backoff over after a helper that ran for a while', () => {
    const { sup, conns, crashes } = setup();
    sup.start();
    conns[0]!.crash('x');
    vi.advanceTimersByTime(1000);
    conns[1]!.crash('x');
    vi.advanceTimersByTime(2000);
    vi.advanceTimersByTime(STABLE_MS);
    conns[2]!.crash('x');
    expect(crashes).toEqual(['x; restarting it in 1 s', 'x; restarting it in 2 s', 'x; restarting it in 1 s']);
  });

  it('drops text from a helper it has replaced; a restart is not a crash', async () => {
    const { sup, conns, texts, crashes } = setup();
    sup.start();
    await sup.restart();
    expect(conns[0]!.closed).toBe(true);
    conns[0]!.emit('stale\n');
    conns[1]!.emit('fresh\n');
    expect(texts).toEqual(['fresh\n']);
    expect(crashes).toEqual([]);
  });

  it('stop ends the helper and never restarts it', async () => {
    const { sup, conns, crashes } = setup();
    sup.start();
    conns[0]!.crash('x');
    await sup.stop();
    vi.advanceTimersByTime(60_000);
    expect(conns).toHaveLength(1);
    sup.start();
    expect(conns).toHaveLength(1);
    expect(crashes).toHaveLength(1);
  });

  it('stop closes a running helper', async () => {
    const { sup, conns } = setup();
    sup.start();
    await sup.stop();
    expect(conns[0]!.closed).toBe(true);
    expect(sup.running).toBe(false);
  });
});
