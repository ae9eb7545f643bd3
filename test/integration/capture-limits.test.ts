import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperClient } from '../../protocol/src/client.js';
import type { StreamEnd } from '../../protocol/src/messages.js';
import { assertInSandbox, resetSandbox } from '../sandbox.js';

// Issue 13 item 5 with the real helper (the built bundle over stdio) and real tcpdump on the
// sandbox's loopback: a client asking for 20 captures gets 4; a ping flood fills their rings and
// the helper's memory stays within the ring budget; 300 filter checks at once never run more
// than two `tcpdump -d`. NETLOOM_TEST_BUNDLE runs another build.

const bundle = process.env.NETLOOM_TEST_BUNDLE ?? join(__dirname, '..', '..', 'out', 'helper', 'netloom.cjs');
let helper: ChildProcessWithoutNullStreams;
let client: HelperClient;
let lo = '';

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
function tcpdumps(): { capture: number; check: number } {
  const out = { capture: 0, check: 0 };
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const argv = cmd.split('\0');
    if (!argv.includes('tcpdump')) continue;
    if (argv.includes('-d')) out.check++;
    else out.capture++;
  }
  return out;
}

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
  helper = spawn(process.execPath, [bundle, 'helper', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  helper.stderr.resume();
  client = new HelperClient({
    send: (t) => helper.stdin.write(t),
    onText: (cb) => void helper.stdout.on('data', (d: Buffer) => cb(d.toString())),
    onClose: (cb) => void helper.once('exit', () => cb('exited')),
    close: () => helper.stdin.end(),
  });
  await client.ready;
  const snap = await client.call('topology.get', {});
  lo = snap.namespaces.find((n) => n.kind === 'host')?.id ?? '';
});

afterAll(() => {
  client?.close();
  if (helper && helper.exitCode === null) helper.kill('SIGTERM');
});

describe('captures under a greedy client', () => {
  it('20 captures asked for: 4 run, 16 are refused saying why; a ping flood leaves the helper within its ring budget', async () => {
    const rssBefore = rssMiB(helper.pid!);
    const handles: { cancel(): void }[] = [];
    const starts = Array.from({ length: 20 }, () => {
      let live!: () => void;
      const listening = new Promise<void>((r) => (live = r));
      const ended = new Promise<StreamEnd>((resolve) => {
        const h = client.watch('capture.start', { ns: lo, interface: 'lo' }, () => live(), resolve);
        handles.push(h);
      });
      return { listening, ended };
    });
    const refused = await Promise.all(starts.map((s) => Promise.race([s.ended, s.listening.then(() => null)])));
    const errors = refused.filter((e): e is StreamEnd => e !== null);
    expect(errors).toHaveLength(16);
    expect(errors[0]).toMatchObject({ reason: 'error', code: 'unavailable', message: expect.stringContaining('already runs 4 captures') });
    expect(tcpdumps().capture).toBe(4);
    // A bounded flood: 40 000 packets of 1 400 bytes on loopback, at most 20 s.
    await new Promise<void>((resolve) => execFile('ping', ['-f', '-q', '-c', '40000', '-s', '1400', '-w', '20', '127.0.0.1'], () => resolve()));
    await new Promise((r) => setTimeout(r, 1500));
    const rssAfter = rssMiB(helper.pid!);
    console.log(`capture caps: 20 asked, ${20 - errors.length} ran; helper RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MiB after a 40 000 × 1400 B ping flood (ring budget 256 MiB)`);
    expect(rssAfter - rssBefore).toBeLessThan(256 + 128);
    for (const h of handles) h.cancel();
    await Promise.all(starts.map((s) => s.ended));
  }, 90_000);

  it('300 filter checks at once: never more than 2 tcpdump -d, at least 34 answered, the rest refused as busy', async () => {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, tcpdumps().check)), 3);
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => client.call('capture.checkFilter', { ns: lo, interface: 'lo', filter: `port ${i + 1}` })));
    clearInterval(sampler);
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    console.log(`filter checks: 300 asked, ${ok} answered, peak ${peak} tcpdump -d at once`);
    expect(peak).toBeLessThanOrEqual(2);
    expect(ok).toBeGreaterThanOrEqual(34);
    expect(ok).toBeLessThan(60);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'unavailable' } });
  }, 60_000);
});
