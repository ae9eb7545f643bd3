import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab, resetSandbox, sh } from '../sandbox.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';
import { routedLab } from './routed-lab.js';

// Issue 12 item 5 in the UI: ns1 → ns2 through the sandbox's host, which forwards — but a native
// nftables table drops everything it forwards (inet f, forward policy drop). "Check for real" with
// "trace it" shows the rule the kernel traced beside the prediction, opens the rules view on it,
// flags the canvas where it was dropped, and leaves no trace table and no nft monitor behind.
const LAB = `${routedLab(true)}nft add table inet f
`;

let app: RunningApp;
let stateDir = '';
let forwardBefore = '';

function leftovers(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.includes('nft') && (argv.includes('monitor') || argv.includes('-i'))) out.push(argv.join(' '));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

beforeAll(async () => {
  await resetSandbox();
  forwardBefore = (await sh(['sysctl', '-n', 'net.ipv4.ip_forward'])).trim();
  await lab(LAB);
  await sh(['nft', 'add', 'chain', 'inet', 'f', 'fw', '{ type filter hook forward priority 0; policy drop; }']);
  stateDir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
  app = await startApp({ width: 1600, height: 960 }, { NETLOOM_STATE_DIR: stateDir });
});

afterAll(async () => {
  await app?.stop();
  await resetSandbox();
  if (forwardBefore) await sh(['sysctl', '-q', '-w', `net.ipv4.ip_forward=${forwardBefore}`]).catch(() => {});
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('explain: Check for real, traced — an nftables-only drop confirmed by the kernel', () => {
  it('"trace it": decided for real by the chain\'s policy, the same the prediction names; the canvas flags the host\'s veth1; the link opens the rules view on it', async () => {
    const { page } = app;
    await page.getByLabel('namespace ns1', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.press('e');
    const panel = page.getByRole('complementary', { name: 'explain' });
    await panel.getByLabel('Source namespace').selectOption({ label: 'ns1' });
    await panel.getByLabel('Destination namespace').selectOption({ label: 'ns2' });
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    const verdict = panel.getByRole('status', { name: 'verdict' });
    await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toMatch(/blocked/i);

    await panel.getByRole('checkbox', { name: 'trace it' }).check();
    await panel.getByRole('button', { name: 'Check for real' }).click();
    const result = panel.getByRole('status', { name: 'probe result' });
    await result.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await result.textContent()).toContain('did not reach');
    const real = panel.getByRole('note', { name: 'decided for real' });
    expect(await real.textContent()).toMatch(/^Decided for real by policy drop of nft inet f fw \(host\) — the rule the prediction names\.$/);
    const traced = panel.getByRole('list', { name: 'traced decisions' });
    expect(await traced.textContent()).toContain('nft inet f fw: dropped by its policy drop');
    // The canvas: the host's end of ns1's veth, where the forwarded packets came in and were dropped.
    await page.locator('.if-node.ex-real-drop').first().waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.getByRole('note', { name: /dropped here for real \(nftables trace\)/ }).count()).toBe(1);
    expect(await page.getByLabel('interface veth1 in host', { exact: true }).locator('.if-node').getAttribute('class')).toContain('ex-real-drop');
    await page.screenshot({ path: join(artifacts, 'explain-trace.png') });

    await real.getByRole('button', { name: /^decided for real by: / }).click();
    const rules = page.getByRole('complementary', { name: 'rules' });
    await rules.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await rules.getByRole('region', { name: 'chain fw' }).getAttribute('class')).toContain('is-focused');
  });

  it('nothing of the trace is left: no table netloom-trace in any namespace, no nft monitor or holder', async () => {
    for (const ns of [null, 'ns1', 'ns2']) {
      const ruleset = await sh(ns === null ? ['nft', 'list', 'ruleset'] : ['ip', 'netns', 'exec', ns, 'nft', 'list', 'ruleset']);
      expect(ruleset, ns ?? 'host').not.toContain('netloom-trace');
    }
    expect(leftovers()).toEqual([]);
  });
});
