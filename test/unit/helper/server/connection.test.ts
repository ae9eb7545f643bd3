import { afterEach, describe, expect, it } from 'vitest';
import { HelperClient } from '../../../../protocol/src/client.js';
import { ProtocolError } from '../../../../protocol/src/errors.js';
import { Methods } from '../../../../protocol/src/methods.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import { serveConnection } from '../../../../helper/server/connection.js';
import type { ServerContext } from '../../../../helper/server/context.js';
import { LiveTopology } from '../../../../helper/watch/live-topology.js';
import { startLiveWatcher } from '../../../../helper/watch/live-watcher.js';
import type { LiveWatcher } from '../../../../helper/watch/live-watcher.js';
import { fakeContext, FakeSource, memoryPair, messages, RecordingExec, snapshotWith, withInterface } from './fakes.js';

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((s) => s()));

/** A server whose live watcher is a hand-driven fake: `push` publishes a snapshot. */
function setup(world = snapshotWith(['host', 'a'])) {
  const source = new FakeSource(world);
  let publish: ((s: Snapshot) => void) | null = null;
  let watchers = 0;
  const live = new LiveTopology(source, (_src, on): LiveWatcher => {
    publish = on;
    watchers++;
    return { stop: () => (watchers--, (publish = null)), monitorCount: () => 0 };
  });
  const log: string[] = [];
  const ctx: ServerContext = fakeContext(live, { source, log: (m) => log.push(m) });
  const pair = memoryPair();
  serveConnection(pair.server, ctx);
  return {
    source,
    live,
    log,
    pair,
    push: (s: Snapshot) => publish?.(s),
    watchers: () => watchers,
    sendRaw: (line: string) => pair.client.send(line + '\n'),
    out: () => messages(pair.sentByServer),
  };
}

describe('serveConnection', () => {
  it('speaks first with init naming its methods', async () => {
    const t = setup();
    await tick();
    expect(t.out()[0]).toEqual({ init: { version: '1', capabilities: Object.keys(Methods) } });
  });

  describe('rejects invalid messages without running anything', () => {
    const cases: [string, string, unknown, string | undefined][] = [
      ['not JSON', '{nope', null, undefined],
      ['an array', '[1,2]', null, undefined],
      ['unknown method', '{"id":7,"method":"rm.rf","params":{}}', 7, 'method'],
      ['missing method', '{"id":8}', 8, 'method'],
      ['bad id type', '{"id":true,"method":"topology.get"}', null, 'id'],
      ['extra params field', '{"id":9,"method":"topology.get","params":{"ns":"x"}}', 9, 'params.ns'],
      ['params not an object', '{"id":10,"method":"topology.watch","params":"all"}', 10, 'params'],
      // Issue 13 item 8: an unknown key is named by its path, never "the message: Unrecognized key".
      ['extra top-level field', '{"id":11,"method":"topology.get","argv":["ip"]}', 11, 'argv'],
      ['extra field in an intent', '{"id":12,"method":"plan.preview","params":{"intents":[{"op":"netns.create","name":"a","colour":"red"}]}}', 12, 'params.intents.0.colour'],
      ['extra field beside the intents', '{"id":13,"method":"plan.preview","params":{"intents":[{"op":"netns.create","name":"a"}],"dryRun":true}}', 13, 'params.dryRun'],
      ['cancel with bad id', '{"cancel":{"id":{}}}', null, 'cancel.id'],
    ];
    for (const [what, line, id, path] of cases) {
      it(what, async () => {
        const exec = new RecordingExec();
        const source = new FakeSource(snapshotWith(['host']));
        const live = new LiveTopology(source, (src, on) => startLiveWatcher(exec, src, on));
        const pair = memoryPair();
        serveConnection(pair.server, fakeContext(live, { exec, source }));
        pair.client.send(line + '\n');
        await tick(20);
        const out = messages(pair.sentByServer);
        expect(out).toHaveLength(2);
        const reply = out[1] as { id: unknown; error: { code: string; message: string; path?: string } };
        expect(reply.id).toBe(id);
        expect(reply.error.code).toBe('invalid');
        expect(reply.error.message.length).toBeGreaterThan(10);
        if (path !== undefined) expect(reply.error.path).toBe(path);
        if (what.startsWith('extra')) expect(reply.error.message).toBe(`field "${String(path)}": is not a known field`);
        expect(exec.calls).toBe(0);
        expect(source.reads).toEqual([]);
      });
    }
  });

  it('answers topology.get with the snapshot, through the protocol client', async () => {
    const t = setup();
    const client = new HelperClient(t.pair.client);
    const snap = await client.call('topology.get', {});
    expect(snap.namespaces.map((n) => n.id)).toEqual(['ns:100', 'ns:101']);
    expect(t.source.reads).toEqual([{ kind: 'all' }]);
  });

  it('streams a snapshot, then patches with seq counting from 0', async () => {
    const t = setup();
    t.sendRaw('{"id":"w","method":"topology.watch","params":{}}');
    await tick();
    const base = t.source.world;
    t.push(withInterface(base, 'ns:101', 2, 'v1', 't1'));
    await tick();
    t.push(withInterface(withInterface(base, 'ns:101', 2, 'v1'), 'ns:101', 3, 'v2', 't2'));
    await tick();
    const out = t.out().slice(1);
    expect(out[0]).toEqual({ id: 'w', result: { stream: 'w' } });
    expect(out.slice(1).map((m) => [m.seq, Object.keys(m.data as object)[0]])).toEqual([
      [0, 'snapshot'],
      [1, 'patch'],
      [2, 'patch'],
    ]);
    const p2 = (out[3]?.data as { patch: { upsertInterfaces: { name: string }[] } }).patch;
    expect(p2.upsertInterfaces.map((i) => i.name)).toEqual(['v2']);
  });

  it('does not send a patch when nothing changed', async () => {
    const t = setup();
    t.sendRaw('{"id":1,"method":"topology.watch"}');
    await tick();
    t.push({ ...t.source.world, takenAt: 'later' });
    await tick();
    expect(t.out().filter((m) => 'seq' in m)).toHaveLength(1);
  });

  it('cancel ends the stream and the last watcher leaving stops the live watcher', async () => {
    const t = setup();
    t.sendRaw('{"id":1,"method":"topology.watch"}');
    await tick();
    expect(t.watchers()).toBe(1);
    t.sendRaw('{"cancel":{"id":1}}');
    await tick();
    expect(t.out().at(-1)).toEqual({ stream: 1, end: { reason: 'cancelled', code: 'cancelled' } });
    expect(t.watchers()).toBe(0);
    t.push(withInterface(t.source.world, 'ns:100', 5, 'late'));
    await tick();
    expect(t.out().filter((m) => 'seq' in m)).toHaveLength(1);
  });

  it('shares one live watcher between streams and stops it when the connection closes', async () => {
    const t = setup();
    t.sendRaw('{"id":1,"method":"topology.watch"}');
    t.sendRaw('{"id":2,"method":"topology.watch"}');
    await tick();
    expect(t.watchers()).toBe(1);
    expect(t.source.reads).toEqual([{ kind: 'all' }]);
    t.pair.client.close();
    await tick();
    expect(t.watchers()).toBe(0);
  });

  it('refuses a request id that is still in use', async () => {
    const t = setup();
    t.sendRaw('{"id":1,"method":"topology.watch"}');
    await tick();
    t.sendRaw('{"id":1,"method":"topology.get"}');
    await tick();
    expect(t.out().at(-1)).toMatchObject({ id: 1, error: { code: 'invalid', path: 'id' } });
  });

  it('passes ProtocolErrors through and hides unexpected ones behind internal', async () => {
    const t = setup();
    t.source.refreshAll = async () => {
      throw new ProtocolError('unavailable', 'ip is not installed');
    };
    t.sendRaw('{"id":1,"method":"topology.get"}');
    await tick();
    expect(t.out().at(-1)).toEqual({ id: 1, error: { code: 'unavailable', message: 'ip is not installed' } });
    t.source.refreshAll = async () => {
      throw new TypeError('secret stack detail');
    };
    t.sendRaw('{"id":2,"method":"topology.get"}');
    t.sendRaw('{"id":3,"method":"topology.watch"}');
    await tick();
    const out = t.out();
    const get = out.find((m) => m.id === 2);
    const watchOpen = out.find((m) => m.id === 3);
    const watchEnd = out.find((m) => m.stream === 3 && 'end' in m);
    expect(get).toMatchObject({ id: 2, error: { code: 'internal' } });
    expect(JSON.stringify(get)).not.toContain('secret');
    expect(watchOpen).toEqual({ id: 3, result: { stream: 3 } });
    expect(watchEnd).toMatchObject({ stream: 3, end: { reason: 'error', code: 'internal' } });
    expect(t.log.join('\n')).toContain('secret stack detail');
  });

  it('coalesces patches while the transport is congested into one diff', async () => {
    const t = setup();
    t.sendRaw('{"id":1,"method":"topology.watch"}');
    await tick();
    t.pair.server.buffered = 10 * 1024 * 1024;
    let s = t.source.world;
    for (let i = 2; i < 50; i++) {
      s = withInterface(s, 'ns:101', i, `v${i}`, `t${i}`);
      t.push(s);
    }
    await tick(120);
    expect(t.out().filter((m) => 'seq' in m)).toHaveLength(1);
    t.pair.server.buffered = 0;
    await tick(120);
    const data = t.out().filter((m) => 'seq' in m);
    expect(data).toHaveLength(2);
    const patch = (data[1]?.data as { patch: { upsertInterfaces: unknown[]; takenAt: string } }).patch;
    expect(patch.upsertInterfaces).toHaveLength(48);
    expect(patch.takenAt).toBe('t49');
  });
});
