import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { HelperClient } from '../../protocol/src/client.js';
import type { ExplainParams, ExplainResult, FindingCode, ProbeResult } from '../../protocol/src/explain.js';
import { assertInSandbox, lab, sh } from '../sandbox.js';
import { stdioTransport } from './watched-helper.js';

/**
 * The single-node lab of the explain tests (test/fixtures/explain/single-node-lab.sh, which the
 * fixtures were recorded from too). Built working; each test breaks one thing.
 */
export async function buildSingleNode(): Promise<void> {
  await lab(readFileSync(join(__dirname, '../fixtures/explain/single-node-lab.sh'), 'utf8'));
  // Carrier and IPv6 duplicate address detection settle before the first probe.
  for (let i = 0; i < 50; i++) {
    const links = (await sh(['ip', 'link', 'show'])) + (await sh(['ip', '-n', 'ns1', 'link', 'show'])) + (await sh(['ip', '-n', 'outside', 'link', 'show']));
    if (!links.includes('NO-CARRIER')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The built `netloom helper --stdio` without a live watcher: every explain reads a fresh
 * snapshot, so a change made a moment ago (a sysctl, a policy) is always seen.
 */
export async function startHelper(env: NodeJS.ProcessEnv): Promise<{ helper: ChildProcessWithoutNullStreams; client: HelperClient }> {
  assertInSandbox();
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--helper-only'], { stdio: 'ignore' });
  const helper = spawn(process.execPath, [join(root, 'out/helper/netloom.cjs'), 'helper', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  helper.stderr.on('data', (d: Buffer) => process.stderr.write(`[helper] ${d}`));
  const client = new HelperClient(stdioTransport(helper));
  await client.ready;
  return { helper, client };
}

export interface Checked {
  result: ExplainResult;
  probe: ProbeResult;
}

/** explain.path and a real probe of the same pair; the prediction must agree with the probe. */
export async function explainAndProbe(client: HelperClient, p: ExplainParams): Promise<Checked> {
  const result = await client.call('explain.path', p);
  const probe = await client.call('explain.probe', p);
  const said = `${result.summary}\nprobe: ${probe.command} → ${probe.detail}`;
  if (result.verdict === 'reaches') expect(probe.reached, said).toBe(true);
  if (result.verdict === 'blocked') expect(probe.reached, said).toBe(false);
  return { result, probe };
}

/**
 * The whole story of one failure: explain says blocked for the right reason, a real probe fails,
 * the finding's fix goes through plan.apply, a real probe succeeds and explain says reaches.
 */
export async function breakAndFix(client: HelperClient, p: ExplainParams, code: FindingCode): Promise<{ before: Checked; after: Checked }> {
  const before = await explainAndProbe(client, p);
  expect(before.result.verdict, before.result.summary).toBe('blocked');
  expect(before.probe.reached).toBe(false);
  const f = before.result.findings.find((x) => x.code === code);
  expect(f, `findings: ${before.result.findings.map((x) => x.code).join(', ')}`).toBeDefined();
  expect(before.result.findings[0]!.code).toBe(code);
  expect(f!.fix).not.toBeNull();
  await client.call('plan.apply', { intents: f!.fix!.intents });
  const after = await explainAndProbe(client, p);
  expect(after.result.verdict, after.result.summary).toBe('reaches');
  expect(after.probe.reached).toBe(true);
  return { before, after };
}
