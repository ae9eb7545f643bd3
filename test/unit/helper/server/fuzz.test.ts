import { describe, expect, it } from 'vitest';
import { Methods } from '../../../../protocol/src/methods.js';
import { serveConnection } from '../../../../helper/server/connection.js';
import { LiveTopology } from '../../../../helper/watch/live-topology.js';
import { startLiveWatcher } from '../../../../helper/watch/live-watcher.js';
import { fakeContext, FakeSource, memoryPair, messages, RecordingExec, snapshotWith } from './fakes.js';

/**
 * Protocol robustness (issue 6): 10 000 random and malformed messages, delivered in chunks cut
 * anywhere. The helper never crashes, answers every line with an error, and runs no program.
 * Seeded, so a failure can be replayed.
 */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = Object.keys(Methods);
const NASTY = ['', ';', '$(reboot)', '`id`', '../../etc/passwd', 'a'.repeat(300), '\u0000', '\u202e', 'ns:1', '-rf', '🦀', '\\', '"'];

function generator(rand: () => number) {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const value = (depth: number): unknown => {
    const r = rand();
    if (depth > 3 || r < 0.3) return pick<unknown>([null, true, false, 0, -1, 1e308, 65536, 3.5, ...NASTY]);
    if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rand() * 4); i > 0; i--) o[pick(['op', 'name', 'ns', 'intents', 'filter', 'argv', 'id', pick(NASTY)])] = value(depth + 1);
    return o;
  };
  /** Params no method takes: a non-object, or an object with a key no (strict) schema knows. */
  const refused = (v: unknown): unknown => (v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v, zz: value(2) } : v ?? 'x');
  /** One line that must be refused: every params schema is strict, so an unknown key always fails. */
  return (): string => {
    const r = rand();
    if (r < 0.15) return Array.from({ length: Math.floor(rand() * 60) }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join('').replace(/\n/g, '');
    if (r < 0.3) return JSON.stringify(value(0));
    if (r < 0.45) {
      // A request cut short (never at its full length, which would be a valid request).
      const whole = JSON.stringify({ id: Math.floor(rand() * 1e6), method: pick(METHODS) });
      return whole.slice(0, 1 + Math.floor(rand() * (whole.length - 1)));
    }
    if (r < 0.6) return JSON.stringify({ id: pick<unknown>([Math.floor(rand() * 1e6), -1, 'x'.repeat(65), {}, null]), method: pick([...METHODS, 'exec', 'shell', '__proto__', '']), params: refused(value(1)) });
    // A well-formed cancel of an unknown id is fire-and-forget (no answer), so only broken ones here.
    if (r < 0.75) {
      const c = value(1);
      const broken = c !== null && typeof c === 'object' && !Array.isArray(c) ? { ...c, id: pick<unknown>([{}, [], null, true, -1, 'x'.repeat(65)]) } : c;
      return JSON.stringify({ cancel: broken });
    }
    return JSON.stringify({ id: 1 + Math.floor(rand() * 1e6), method: pick(METHODS), params: refused(value(1)) });
  };
}

describe('the helper under 10 000 random and malformed messages', () => {
  it('answers each with an error, never crashes, and runs no program', { timeout: 60_000 }, async () => {
    const rand = prng(20261123);
    const next = generator(rand);
    const exec = new RecordingExec();
    const source = new FakeSource(snapshotWith(['host']));
    const live = new LiveTopology(source, (src, on) => startLiveWatcher(exec, src, on));
    const pair = memoryPair();
    const logs: string[] = [];
    serveConnection(pair.server, fakeContext(live, { exec, source, log: (m) => logs.push(m) }));

    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(next().replace(/\n/g, ' '));
    // Blank lines are skipped by the framing, not answered.
    const answerable = lines.filter((l) => l.trim() !== '').length;
    const text = lines.join('\n') + '\n';
    for (let at = 0; at < text.length; ) {
      const n = 1 + Math.floor(rand() * 4096);
      pair.client.send(text.slice(at, at + n));
      at += n;
    }
    for (let i = 0; i < 2000 && messages(pair.sentByServer).length < answerable + 1; i++) await new Promise((r) => setTimeout(r, 10));

    const out = messages(pair.sentByServer);
    expect(out[0]).toHaveProperty('init');
    const replies = out.slice(1);
    expect(replies).toHaveLength(answerable);
    for (const r of replies) {
      expect(r).toHaveProperty('error');
      expect((r as { error: { code: string } }).error.code).toBe('invalid');
    }
    expect(exec.calls).toBe(0);
    expect(source.reads).toEqual([]);
  });
});
