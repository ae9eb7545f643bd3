import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import { startLiveWatcher } from '../../../../helper/watch/live-watcher.js';
import type { LiveWatcher } from '../../../../helper/watch/live-watcher.js';
import type { DockerEvent } from '../../../../helper/discover/runtimes/docker-schemas.js';
import { dockerChange, type RuntimeEventStream } from '../../../../helper/watch/runtime-events.js';
import { FakeSource, RecordingExec, snapshotWith, withInterface } from '../server/fakes.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let watcher: LiveWatcher | null = null;
afterEach(() => watcher?.stop());

async function setup(names = ['host', 'a']) {
  const exec = new RecordingExec();
  const source = new FakeSource(snapshotWith(names));
  await source.refreshAll();
  source.reads.length = 0;
  const published: Snapshot[] = [];
  const empty = mkdtempSync(join(tmpdir(), 'netloom-watch-'));
  watcher = startLiveWatcher(exec, source, (s) => published.push(s), {
    presence: { dirs: [empty], procDir: empty, pollMs: 50 },
    rulesPollMs: 60_000,
    settleMs: 10_000,
  });
  // The watcher boots on the next macrotask, after the first snapshot has gone out.
  await new Promise((r) => setTimeout(r, 0));
  return { exec, source, published, w: watcher };
}

describe('startLiveWatcher', () => {
  it('starts one ip monitor per namespace, entering named ones with ip -n', async () => {
    const { exec } = await setup();
    expect(exec.spawned.map((s) => s.argv)).toEqual([
      ['ip', 'monitor', 'link', 'address', 'route'],
      ['ip', '-n', 'a', 'monitor', 'link', 'address', 'route'],
    ]);
  });

  it('re-reads only the namespace whose monitor spoke, debounced, and publishes', async () => {
    const { exec, source, published } = await setup();
    source.world = withInterface(source.world, 'ns:101', 2, 'v1');
    const started = Date.now();
    const mon = exec.spawned[1]!.child;
    mon.stdout.write('3: v1@v2: <BROADCAST> mtu 1500\n');
    mon.stdout.write('    link/ether 32:c4:a6:54:ad:5d\n');
    mon.stdout.write('3: v1    inet 10.0.0.1/24 scope global v1\n');
    while (published.length === 0 && Date.now() - started < 1000) await sleep(5);
    expect(Date.now() - started).toBeLessThan(200);
    expect(source.reads).toEqual([{ kind: 'ns', ids: ['ns:101'] }]);
    expect(published.at(-1)?.interfaces.map((i) => i.name)).toEqual(['v1']);
  });

  it('rescans when a monitor dies, and kills the monitor of a namespace that is gone', async () => {
    const { exec, source } = await setup(['host', 'a', 'b']);
    const b = exec.spawned[2]!.child;
    source.world = snapshotWith(['host', 'a']);
    b.die();
    await sleep(150);
    expect(source.reads).toContainEqual({ kind: 'rescan' });
    expect(exec.spawned.filter((s) => s.child.alive)).toHaveLength(2);
  });

  it('starts a monitor for a namespace that appears', async () => {
    const { exec, source, w } = await setup(['host']);
    source.world = snapshotWith(['host', 'new']);
    exec.spawned[0]!.child.stdout.write('Deleted 2: x\n');
    await sleep(150);
    // A ns re-read does not list namespaces, so the fake only learns of "new" on the next read.
    expect(w.monitorCount()).toBe(2);
    expect(exec.spawned.at(-1)?.argv).toEqual(['ip', '-n', 'new', 'monitor', 'link', 'address', 'route']);
  });

  it('kills every child when stopped', async () => {
    const { exec, w } = await setup(['host', 'a', 'b']);
    w.stop();
    await sleep(5);
    expect(exec.spawned.every((s) => !s.child.alive && s.child.signalCode === 'SIGTERM')).toBe(true);
    watcher = null;
  });

  it('follows Docker: a container start re-lists and re-asks, a connect re-reads that container\'s namespace', async () => {
    const exec = new RecordingExec();
    const world = snapshotWith(['host', 'a']);
    world.namespaces[1]!.container = { runtime: 'docker', id: 'c1', name: 'web', image: 'bb', networks: ['bridge'] };
    const source = new FakeSource(world);
    await source.refreshAll();
    source.reads.length = 0;
    let emit: (e: DockerEvent) => void = () => {};
    const stream: RuntimeEventStream = {
      follow: (signal, hooks) =>
        new Promise((resolve) => {
          emit = (e) => hooks.onEvent?.(e);
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    };
    const empty = mkdtempSync(join(tmpdir(), 'netloom-watch-'));
    watcher = startLiveWatcher(exec, source, () => {}, { presence: { dirs: [empty], procDir: empty, pollMs: 60_000 }, rulesPollMs: 60_000, runtimeEvents: [{ name: 'Docker', stream, classify: dockerChange }] });
    await sleep(5);
    emit({ Type: 'container', Action: 'start', Actor: { ID: 'c2', Attributes: { name: 'late' } } });
    await sleep(80);
    expect(source.reads).toEqual([{ kind: 'rescan' }, { kind: 'runtimes' }]);
    source.reads.length = 0;
    emit({ Type: 'network', Action: 'connect', Actor: { ID: 'n1', Attributes: { container: 'c1', name: 'other' } } });
    emit({ Type: 'container', Action: 'exec_start: sh', Actor: { ID: 'c1' } });
    await sleep(80);
    expect(source.reads).toEqual([{ kind: 'runtimes' }, { kind: 'ns', ids: ['ns:101'] }]);
  });
});
