import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HelperClient, type Transport } from '../../../../protocol/src/client.js';
import type { CountersSample } from '../../../../protocol/src/counters.js';
import { PART_CHARS } from '../../../../protocol/src/framing.js';
import type { TopologyWatchData } from '../../../../protocol/src/methods.js';
import { CoreMux } from '../../../../helper/hosts/core-mux.js';

// The desktop app's hosts process (issue 14) shares one connection to the helper core between the
// page door's direct connection and the router's client. Fixture: what a real root helper wrote
// for topology.watch (id 1, its first picture in three parts), counters.watch (id 2), a line that
// is not JSON (id null), an invalid plan.preview (3), plan.history (4) and both streams' ends —
// recorded by test/fixtures/core-mux/capture.mjs.

const FIXTURE = gunzipSync(readFileSync(join(__dirname, '../../../fixtures/core-mux/helper-lines.jsonl.gz'))).toString('utf8');
const LINES = FIXTURE.split('\n').filter(Boolean);
const [INIT, ...AFTER_INIT] = LINES as [string, ...string[]];
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

/** A core that records what it is sent and says what the test tells it. */
function scriptedCore() {
  const text: ((t: string) => void)[] = [];
  const closers: ((r: string) => void)[] = [];
  const received: unknown[] = [];
  const core: Transport = {
    send: (t) => t.split('\n').filter(Boolean).forEach((l) => received.push(JSON.parse(l))),
    onText: (cb) => void text.push(cb),
    onClose: (cb) => void closers.push(cb),
    close: () => {},
  };
  return { core, received, say: (lines: string[]) => text.forEach((cb) => cb(lines.map((l) => l + '\n').join(''))), end: (why: string) => closers.forEach((cb) => cb(why)) };
}

/** What a pass-through would be: every connection shares the core's lines and ids as they are. */
function naiveMux(core: Transport): { open: () => Transport } {
  const listeners: ((t: string) => void)[][] = [];
  core.onText((t) => listeners.forEach((ls) => ls.forEach((cb) => cb(t))));
  return {
    open: () => {
      const mine: ((t: string) => void)[] = [];
      listeners.push(mine);
      return { send: (t) => core.send(t), onText: (cb) => void mine.push(cb), onClose: () => {}, close: () => {} };
    },
  };
}

/**
 * Two page-like clients over one core, both numbering their requests from 1: A watches the
 * topology and asks for a bad plan, B watches counters and asks for the plan history. Their
 * requests reach the core in the fixture's order, so its recorded lines answer them.
 */
async function twoClients(open: () => Transport, s: ReturnType<typeof scriptedCore>) {
  const a = new HelperClient(open());
  const b = new HelperClient(open());
  s.say([INIT]);
  const seen = { topology: [] as TopologyWatchData[], counters: [] as CountersSample[], ends: [] as string[], plan: null as unknown, history: null as unknown };
  const step = async (n: number): Promise<void> => {
    for (let i = 0; i < 50 && s.received.length < n; i++) await tick();
  };
  a.watch('topology.watch', {}, (d) => seen.topology.push(d), (e) => seen.ends.push(`a:${e.reason}`));
  await step(1);
  const counters = b.watch('counters.watch', { intervalMs: 200 }, (d) => seen.counters.push(d), (e) => seen.ends.push(`b:${e.reason}`));
  await step(2);
  const plan = a.call('plan.preview', { intents: [{ op: 'netns.create', name: 'bad/name' }] }).then((r) => (seen.plan = r), (e: unknown) => (seen.plan = e));
  await step(3);
  const history = b.call('plan.history', {}).then((r) => (seen.history = r), (e: unknown) => (seen.history = e));
  await step(4);
  s.say(AFTER_INIT);
  await Promise.race([Promise.all([plan, history]), new Promise((r) => setTimeout(r, 500))]);
  await tick();
  return { a, b, seen, counters };
}

/** The fixture's first picture, joined from its parts as any client would. */
function fixtureSnapshot(): unknown {
  const parts = LINES.filter((l) => l.startsWith('{"part":')).map((l) => (JSON.parse(l) as { part: { text: string } }).part.text);
  expect(parts.length).toBeGreaterThan(1);
  return (JSON.parse(parts.join('')) as { data: unknown }).data;
}

describe('CoreMux: virtual connections over one core connection', () => {
  it('two connections using the same ids each get their own answers and streams, parts joined and framed again', async () => {
    const s = scriptedCore();
    const logs: string[] = [];
    const mux = new CoreMux(s.core, (l) => logs.push(l));
    const { seen } = await twoClients(() => mux.open(), s);
    // On the wire each request had its own id, whatever ids the clients chose.
    expect(s.received.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3, 4]);
    expect(seen.topology[0]).toEqual(fixtureSnapshot());
    expect(seen.topology.slice(1).every((d) => 'patch' in d)).toBe(true);
    expect(seen.topology).toHaveLength(4);
    expect(seen.counters).toHaveLength(10);
    expect(seen.counters.every((c) => Array.isArray(c.interfaces))).toBe(true);
    expect(seen.plan).toMatchObject({ code: 'invalid', message: expect.stringContaining('params.intents.0.name') });
    expect(seen.history).toEqual({ plans: [] });
    expect(seen.ends.sort()).toEqual(['a:cancelled', 'b:cancelled']);
    // The answer to a line the core could not read names no request: dropped, and said in the log.
    expect(logs.join('\n')).toMatch(/could not read a line .*not valid JSON.*dropped/);
    // Every final answer and end forgot its mapping.
    expect(mux.openOnCore).toBe(0);
  });

  it('a naive pass-through fails the same check (the clients see each other\'s ids)', async () => {
    const s = scriptedCore();
    const naive = naiveMux(s.core);
    const { seen } = await twoClients(() => naive.open(), s);
    expect(s.received.map((m) => (m as { id: number }).id)).toEqual([1, 1, 2, 2]);
    const ok = seen.counters.length === 10 && (seen.history as { plans?: unknown }).plans !== undefined && seen.topology.length === 4;
    expect(ok).toBe(false);
  });

  it('stream data keeps its bytes: only the id in front changes', async () => {
    const s = scriptedCore();
    const mux = new CoreMux(s.core);
    s.say([INIT]);
    const raw: string[] = [];
    const b = mux.open();
    b.onText((t) => raw.push(t));
    b.send('{"id":"mine","method":"counters.watch","params":{"intervalMs":200}}\n');
    await tick();
    expect(s.received).toEqual([{ id: 1, method: 'counters.watch', params: { intervalMs: 200 } }]);
    // The fixture's counters stream is its id 2: say it as wire id 1.
    const sample = LINES.find((l) => l.startsWith('{"stream":2,"seq":3,')) as string;
    s.say(['{"id":1,"result":{"stream":1}}', sample.replace('{"stream":2,', '{"stream":1,')]);
    await tick();
    expect(raw.join('').split('\n').filter(Boolean)).toEqual([INIT, '{"id":"mine","result":{"stream":"mine"}}', sample.replace('{"stream":2,', '{"stream":"mine",')]);
  });

  it('a message that came in parts goes on in parts (no line past the page\'s limit), under the connection\'s id', async () => {
    const s = scriptedCore();
    const mux = new CoreMux(s.core);
    s.say([INIT]);
    const raw: string[] = [];
    const a = mux.open();
    a.onText((t) => raw.push(t));
    a.send('{"id":"t","method":"topology.watch","params":{}}\n');
    await tick();
    // The fixture's topology stream is its id 1, the wire id this first request got.
    s.say(LINES.filter((l) => l.startsWith('{"part":')));
    await tick();
    const lines = raw.join('').split('\n').filter(Boolean).slice(1);
    expect(lines).toHaveLength(LINES.filter((l) => l.startsWith('{"part":')).length);
    expect(lines.every((l) => l.startsWith('{"part":') && (JSON.parse(l) as { part: { text: string } }).part.text.length <= PART_CHARS)).toBe(true);
    const whole = JSON.parse(lines.map((l) => (JSON.parse(l) as { part: { text: string } }).part.text).join('')) as { stream: unknown; seq: number; data: unknown };
    expect(whole).toEqual({ stream: 't', seq: 0, data: fixtureSnapshot() });
  });

  it('cancel is mapped; closing a connection cancels what it still has open; late lines are dropped', async () => {
    const s = scriptedCore();
    const mux = new CoreMux(s.core);
    s.say([INIT]);
    const a = mux.open();
    const b = mux.open();
    const bText: string[] = [];
    b.onText((t) => bText.push(t));
    a.send('{"id":7,"method":"topology.watch","params":{}}\n{"id":8,"method":"plan.history","params":{}}\n');
    b.send('{"id":7,"method":"counters.watch","params":{}}\n');
    await tick();
    s.say(['{"id":1,"result":{"stream":1}}', '{"id":3,"result":{"stream":3}}']);
    b.send('{"cancel":{"id":7}}\n');
    a.close();
    await tick();
    expect(s.received.slice(3)).toEqual([{ cancel: { id: 3 } }, { cancel: { id: 1 } }, { cancel: { id: 2 } }]);
    expect(mux.openOnCore).toBe(1);
    s.say(['{"stream":1,"seq":0,"data":{"patch":{}}}', '{"stream":1,"end":{"reason":"cancelled","code":"cancelled"}}', '{"stream":3,"end":{"reason":"cancelled","code":"cancelled"}}']);
    await tick();
    expect(bText.join('')).toBe(INIT + '\n{"id":7,"result":{"stream":7}}\n{"stream":7,"end":{"reason":"cancelled","code":"cancelled"}}\n');
    expect(mux.openOnCore).toBe(0);
  });

  it('the core\'s one init reaches connections opened before and after it', async () => {
    const s = scriptedCore();
    const mux = new CoreMux(s.core);
    const early = new HelperClient(mux.open());
    s.say([INIT]);
    const late = new HelperClient(mux.open());
    const [e, l] = await Promise.all([early.ready, late.ready]);
    expect(e).toEqual(l);
    expect(e.capabilities).toContain('topology.watch');
  });

  it('bounded: connections, open ids per connection, an id still in use, lines that are no request', async () => {
    const s = scriptedCore();
    const mux = new CoreMux(s.core, () => {}, { connections: 2, openPerConnection: 2 });
    s.say([INIT]);
    const a = mux.open();
    mux.open();
    expect(() => mux.open()).toThrow(/at most 2 connections/);
    const text: string[] = [];
    a.onText((t) => text.push(t));
    a.send('{"id":1,"method":"topology.watch","params":{}}\n{"id":1,"method":"plan.history","params":{}}\n{"id":2,"method":"plan.history"}\n{"id":3,"method":"plan.history"}\nnot json\n{"method":"plan.history"}\n');
    await tick();
    expect(s.received).toHaveLength(2);
    const answers = text.join('').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l) as { id: unknown; error: { code: string; message: string; path?: string } });
    expect(answers.map((m) => [m.id, m.error.code, m.error.path])).toEqual([
      [1, 'invalid', 'id'],
      [3, 'unavailable', undefined],
      [null, 'invalid', undefined],
      [null, 'invalid', 'id'],
    ]);
    expect(answers[0]?.error.message).toMatch(/still in use/);
  });

  it('the core going away closes every connection with the reason and tells the owner', async () => {
    const s = scriptedCore();
    const mux = new CoreMux(s.core);
    s.say([INIT]);
    const client = new HelperClient(mux.open());
    await client.ready;
    const reasons: string[] = [];
    client.onClose((r) => reasons.push(r));
    mux.onClose((r) => reasons.push(`mux: ${r}`));
    const pending = client.call('plan.history', {});
    s.end('input closed');
    await expect(pending).rejects.toMatchObject({ code: 'terminated' });
    expect(reasons).toEqual(['the helper core is gone (input closed)', 'mux: input closed']);
    expect(() => mux.open()).toThrow(/gone/);
  });
});
