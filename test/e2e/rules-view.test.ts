import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSandbox, sh } from '../sandbox.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';
import { loadRuleset } from './rulesets.js';

let app: RunningApp;

async function openRules(): Promise<ReturnType<RunningApp['page']['getByRole']>> {
  const { page } = app;
  await page.getByLabel('namespace host', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.getByRole('button', { name: 'Rules', exact: true }).click();
  const rules = page.getByRole('complementary', { name: 'rules' });
  await rules.waitFor({ state: 'visible' });
  return rules;
}

describe('rules view on a mixed host: legacy iptables, iptables-nft and a native inet filter (podman#24486\'s trap)', () => {
  beforeAll(async () => {
    await resetSandbox();
    await loadRuleset('mixed-host');
    app = await startApp({ width: 1500, height: 1000 });
  });
  afterAll(async () => {
    await app?.stop();
    await resetSandbox();
  });

  it('by table: every table of every source as a tab, grouped by source', async () => {
    const rules = await openRules();
    const tabs = await rules.getByRole('tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(tabs.map((t) => t?.replace(/, \d+ rules$/, ''))).toEqual(['legacy iptables filter', 'legacy iptables nat', 'iptables-nft filter', 'iptables-nft nat', 'iptables-nft mangle', 'nftables inet filter']);
    expect(await rules.getByRole('alert').first().textContent()).toMatch(/all have rules at .*forward/);
    await rules.getByRole('tab', { name: /^nftables inet filter/ }).click();
    expect(await rules.getByRole('region', { name: 'chain forward' }).textContent()).toContain('policy drop');
  });

  it('by hook: forward runs mangle (-150), then three filter chains at 0 from three sources, with the accept/drop warning', async () => {
    const { page } = app;
    const rules = page.getByRole('complementary', { name: 'rules' });
    await rules.getByRole('button', { name: 'By hook', exact: true }).click();
    const forward = rules.getByRole('region', { name: 'hook forward' });
    const chains = await forward.getByRole('region').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(chains).toEqual(['iptables-nft mangle FORWARD', 'legacy iptables filter FORWARD', 'iptables-nft filter FORWARD', 'nftables inet filter forward']);
    expect(await forward.getByRole('alert').textContent()).toMatch(/an accept in one does not skip the others, and a drop in any is final/);
    // The forward hook at the top of the scrolling part, under the view switch.
    await forward.evaluate((el) => {
      const body = el.closest('.fw-body');
      if (body) body.scrollTop += el.getBoundingClientRect().top - body.getBoundingClientRect().top - 6;
    });
    await rules.screenshot({ path: join(artifacts, 'rules-mixed-host-by-hook.png') });
  });

  it('counters are live while the view is open: three pings through a counted rule show as 3 packets, no rule change needed', async () => {
    const { page } = app;
    const rules = page.getByRole('complementary', { name: 'rules' });
    await sh(['nft', 'add', 'rule', 'inet', 'filter', 'input', 'iifname', 'lo', 'icmp', 'type', 'echo-request', 'counter', 'comment', 'pings']);
    const input = rules.getByRole('region', { name: 'nftables inet filter input' });
    await expect.poll(async () => (await input.textContent()) ?? '', { timeout: 15_000 }).toMatch(/"pings"0 pkts/);
    await sh(['ping', '-c', '3', '-i', '0.2', '-W', '1', '127.0.0.1']);
    // Only the counters moved: the view asks firewall.counters every 2 s while it is open.
    await expect.poll(async () => (await input.textContent()) ?? '', { timeout: 8_000 }).toMatch(/"pings"3 pkts · 252 B/);
  });
});

describe('rules view on Docker 29\'s nftables backend', () => {
  beforeAll(async () => {
    await resetSandbox();
    await loadRuleset('docker29');
    app = await startApp({ width: 1500, height: 1000 });
  });
  afterAll(async () => {
    await app?.stop();
    await resetSandbox();
  });

  it('the docker-bridges tables with their owner; a verdict map opens to its elements and leads to the chain it jumps to', async () => {
    const rules = await openRules();
    expect(await rules.getByRole('tab', { selected: true }).getAttribute('aria-label')).toMatch(/^nftables ip docker-bridges/);
    expect(await rules.getByRole('note', { name: 'owner Docker (table name docker-bridges)' }).getAttribute('title')).toBe('made by Docker: table name docker-bridges');
    await rules.getByRole('button', { name: '@filter-forward-in-jumps: show its elements' }).click();
    const vmap = rules.getByRole('group', { name: 'vmap filter-forward-in-jumps' });
    expect(await vmap.textContent()).toContain('docker0');
    await vmap.getByRole('button', { name: 'open chain filter-forward-in__docker0' }).click();
    expect(await app.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('collapse chain filter-forward-in__docker0');
    // Keyboard: Enter on the focused toggle closes the chain.
    await app.page.keyboard.press('Enter');
    expect(await rules.getByRole('region', { name: 'chain filter-forward-in__docker0' }).locator('li').count()).toBe(0);
    await app.page.keyboard.press('Enter');
    await rules.locator('.fw-body').evaluate((el) => (el.scrollTop = 0));
    await rules.screenshot({ path: join(artifacts, 'rules-docker29.png') });
  });
});
