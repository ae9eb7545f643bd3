import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DockerEvent } from '../../../../helper/discover/runtimes/docker-schemas.js';
import { dockerChange, followRuntimeEvents, podmanChange, type RuntimeEventStream } from '../../../../helper/watch/runtime-events.js';

/** Real event streams: Docker's from test/fixtures/docker/record.sh, Podman's from podman/record-events.sh. */
const recorded = (runtime: 'docker' | 'podman'): DockerEvent[] =>
  readFileSync(join(__dirname, '..', '..', '..', 'fixtures', runtime, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => DockerEvent.parse(JSON.parse(l)));
const summary = (e: DockerEvent, c: ReturnType<typeof dockerChange>): string => `${e.Type} ${e.Action} → ${c === null ? 'nothing' : `${c.rescan ? 'rescan' : 'ask'}${c.containerId !== null ? ` ${c.containerId.slice(0, 12)}` : ''}`}`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ev = (Type: string, Action: string, ID = 'c1', Attributes: Record<string, string> = {}): DockerEvent => ({ Type, Action, Actor: { ID, Attributes } });

describe('recorded event streams', () => {
  it('Docker\'s: starts and ends rescan, connects name their container, kill and create wait for what follows', () => {
    const got = recorded('docker').map((e) => summary(e, dockerChange(e)));
    expect(got.slice(0, 5)).toEqual(['network create → ask', 'network create → ask', 'container create → nothing', 'network connect → ask dd9761406f78', 'container start → rescan dd9761406f78']);
    expect(got).toContain('container kill → nothing');
    expect(got).toContain('container die → rescan dd9eca8dedf9');
    expect(got).toContain('network disconnect → ask ce416f24f713');
    expect(got.at(-1)).toBe('container destroy → rescan dd9761406f78');
  });

  it('Podman\'s: its own words (died, remove) and the container as the actor of a network connect', () => {
    const events = recorded('podman');
    const id = events[0]?.Actor?.ID.slice(0, 12) ?? '';
    expect(events.map((e) => summary(e, podmanChange(e)))).toEqual([
      'container create → nothing',
      'container init → nothing',
      `container start → rescan ${id}`,
      `network connect → ask ${id}`,
      `network disconnect → ask ${id}`,
      'container rename → ask',
      `container died → rescan ${id}`,
      'container cleanup → nothing',
      `container remove → rescan ${id}`,
    ]);
  });
});

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
    const f = followRuntimeEvents({ name: 'Docker', stream: s, classify: dockerChange }, { onChange: (c) => changes.push(c), onResync: () => resyncs++ }, { firstMs: 10, maxMs: 40 });
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
