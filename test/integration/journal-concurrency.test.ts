import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperClient } from '../../protocol/src/client.js';
import { serveConnection } from '../../helper/server/connection.js';
import { createHelperCore } from '../../helper/server/helper-context.js';
import { memoryPair } from '../unit/helper/server/fakes.js';
import { assertInSandbox, resetSandbox, sh } from '../sandbox.js';

// Issue 13 item 2: two applies never interleave — two clients of one helper, and two netloom
// processes racing (each trial starting from a lock file a kill -9'd netloom left behind).
// 50 trials each; the journal is read back and every plan must run from its `plan` record to
// its end with no other plan's record in between. NETLOOM_TEST_BUNDLE runs another build.

const bundle = process.env.NETLOOM_TEST_BUNDLE ?? join(__dirname, '..', '..', 'out', 'helper', 'netloom.cjs');
const TRIALS = 50;

interface Rec {
  t: string;
  plan: string;
}

/** Plans whose records interleave: a plan record (or undoing) while another plan is still open. */
export function interleavings(journalText: string): number {
  let open: string | null = null;
  let bad = 0;
  for (const line of journalText.split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Rec;
    if (r.t === 'plan' || r.t === 'undoing') {
      if (open !== null && open !== r.plan) bad++;
      open = r.plan;
    } else if (open !== null && r.plan !== open) bad++;
    if (r.t === 'applied' || r.t === 'rolled-back' || r.t === 'undone') open = null;
  }
  return bad;
}

function cliApply(stateDir: string, intents: unknown): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [bundle, 'apply', '-'], { env: { ...process.env, NETLOOM_STATE_DIR: stateDir }, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('exit', (code) => resolve({ code, err }));
    c.stdin.end(JSON.stringify(intents));
  });
}

const bridges = async (): Promise<string[]> => (await sh(['ip', '-o', 'link', 'show', 'type', 'bridge'])).split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => /^c[ab]\d+$/.test(n));

async function dropBridges(): Promise<void> {
  for (const b of await bridges()) await sh(['ip', 'link', 'delete', b]);
}

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
});
afterAll(async () => {
  await dropBridges();
});

describe('two applies never interleave', () => {
  it(`two netloom processes, ${TRIALS} trials, each from a stale lock file: both apply, one after the other`, async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'netloom-race-'));
    let waited = 0;
    const failed: string[] = [];
    await dropBridges();
    for (let i = 0; i < TRIALS; i++) {
      // What a netloom killed mid-plan leaves: a lock file naming a pid that is not running.
      writeFileSync(join(stateDir, 'lock'), '2147483646', { mode: 0o600 });
      const [a, b] = await Promise.all([cliApply(stateDir, [{ op: 'bridge.create', name: `ca${i}` }]), cliApply(stateDir, [{ op: 'bridge.create', name: `cb${i}` }])]);
      if (a.code !== 0 || b.code !== 0) failed.push(`trial ${i}: ${a.err}${b.err}`.trim());
      if (/waiting for another netloom/.test(a.err + b.err)) waited++;
      if (i % 10 === 9) await dropBridges();
    }
    const text = readFileSync(join(stateDir, 'journal.jsonl'), 'utf8');
    const plans = text.split('\n').filter((l) => l.includes('"t":"plan"')).length;
    console.log(`two processes: ${TRIALS} trials, ${plans} plans, ${interleavings(text)} interleavings, ${waited} trials where one said it waited, ${failed.length} refused`);
    expect(interleavings(text)).toBe(0);
    expect(failed).toEqual([]);
    expect(plans).toBe(2 * TRIALS);
  }, 240_000);

  it(`two clients of one helper, ${TRIALS} trials: plan.apply from both at once, in turn`, async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'netloom-clients-'));
    const core = createHelperCore({ stateDir, log: () => {} });
    await core.recovered;
    const client = (): HelperClient => {
      const pair = memoryPair();
      serveConnection(pair.server, core.ctx);
      return new HelperClient(pair.client);
    };
    const [one, two] = [client(), client()];
    await Promise.all([one.ready, two.ready]);
    const failed: string[] = [];
    await dropBridges();
    try {
      for (let i = 0; i < TRIALS; i++) {
        const results = await Promise.allSettled([
          one.call('plan.apply', { intents: [{ op: 'bridge.create', name: `ca${i}` }] }),
          two.call('plan.apply', { intents: [{ op: 'bridge.create', name: `cb${i}` }] }),
        ]);
        for (const r of results) if (r.status === 'rejected') failed.push(`trial ${i}: ${String(r.reason)}`);
        if (i % 10 === 9) await dropBridges();
      }
    } finally {
      one.close();
      two.close();
      core.stop();
    }
    const text = readFileSync(join(stateDir, 'journal.jsonl'), 'utf8');
    console.log(`two clients: ${TRIALS} trials, ${interleavings(text)} interleavings, ${failed.length} failed`);
    expect(interleavings(text)).toBe(0);
    expect(failed).toEqual([]);
    expect(text.split('\n').filter((l) => l.includes('"t":"plan"'))).toHaveLength(2 * TRIALS);
  }, 240_000);
});
