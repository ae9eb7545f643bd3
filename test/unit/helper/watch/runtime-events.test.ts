import { describe, expect, it } from 'vitest';
import type { DockerEvent } from '../../../../helper/discover/runtimes/docker-schemas.js';
import { dockerChange, followRuntimeEvents, type RuntimeEventStream } from '../../../../helper/watch/runtime-events.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ev = (Type: string, Action: string, ID = 'c1', Attributes: Record<string, string> = {}): DockerEvent => ({ Type, Action, Actor: { ID, Attributes } });

describe('dockerChange', () => {
  it('a container that starts or ends asks for a rescan; a network connect names its container', () => {
    expect(dockerChange(ev('container', 'start'))).toEqual({ rescan: true, containerId: 'c1' });
    expect(dockerChange(ev('container', 'die'))).toEqual({ rescan: true, containerId: 'c1' });
    expect(dockerChange(ev('container', 'rename'))).toEqual({ rescan: false, containerId: null });
    expect(dockerChange(ev('network', 'connect', 'net1', { container: 'c9', name: 'bridge' }))).toEqual({ rescan: false, containerId: 'c9' });
    expect(dockerChange(ev('network', 'create', 'net1'))).toEqual({ rescan: false, containerId: null });
  });

  it('ignores what does not touch networking', () => {
    for (const a of ['exec_start: sh -c ls', 'attach', 'resize', 'health_status: healthy', 'create']) expect(dockerChange(ev('container', a))).toBeNull();
    expect(dockerChange(ev('image', 'pull'))).toBeNull();
  });
});

/** A stream the test drives: each follow() is one connection, open or refused. */
class FakeStream implements RuntimeEventStream {
  attempts: number[] = [];
  up = false;
  private emit: ((e: DockerEvent) => void) | null = null;
  private end: (() => void) | null = null;
  async follow(signal: AbortSignal, hooks: { onEvent?: (e: DockerEvent) => void; onOpen?: () => void }): Promise<void> {
    this.attempts.push(Date.now());
    if (!this.up) throw new Error('ENOENT');
    hooks.onOpen?.();
    this.emit = hooks.onEvent ?? null;
    await new Promise<void>((resolve) => {
      this.end = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.emit = null;
  }
  send(e: DockerEvent): void {
    this.emit?.(e);
  }
  /** dockerd stops: the stream ends and the socket goes. */
  crash(): void {
    this.up = false;
    this.end?.();
  }
}

describe('followRuntimeEvents', () => {
  it('hands on relevant events, resyncs on open and end, and retries with a growing backoff', async () => {
    const s = new FakeStream();
    const changes: unknown[] = [];
    let resyncs = 0;
    const f = followRuntimeEvents(s, { onChange: (c) => changes.push(c), onResync: () => resyncs++ }, { firstMs: 10, maxMs: 40 });
    await sleep(120); // refused at 0, 10, 30, 70, 110 (10, 20, 40, 40)
    expect(s.attempts.length).toBeGreaterThanOrEqual(4);
    expect(s.attempts.length).toBeLessThanOrEqual(6);
    const gaps = s.attempts.slice(1).map((t, i) => t - (s.attempts[i] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60);
    s.up = true;
    await sleep(60);
    expect(resyncs).toBe(1);
    s.send(ev('container', 'start', 'abc'));
    s.send(ev('container', 'exec_start: sh'));
    expect(changes).toEqual([{ rescan: true, containerId: 'abc' }]);
    const before = s.attempts.length;
    s.crash();
    await sleep(5);
    expect(resyncs).toBe(2); // the stream ended: what Docker holds is unknown now
    s.up = true;
    await sleep(30); // the backoff started over at 10 ms
    expect(s.attempts.length).toBe(before + 1);
    expect(resyncs).toBe(3);
    f.stop();
    await sleep(5);
    const n = s.attempts.length;
    await sleep(60);
    expect(s.attempts.length).toBe(n);
  });
});
