import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab, resetSandbox, sh } from '../sandbox.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';
import { routedLab } from './routed-lab.js';

// ns1 and ns2 routed through the sandbox's host namespace (forwarding on), and a drop that lives
// only in nftables — written twice, the very same text, in one chain: only the first decides.
const LAB = `${routedLab(true)}iptables -A FORWARD -d 10.2.0.2 -j ACCEPT
nft add table inet f
nft add chain inet f fw { type filter hook forward priority 10 ; policy accept ; }
nft add rule inet f fw ip daddr 10.2.0.2 counter drop
nft add rule inet f fw ip daddr 10.2.0.2 counter drop
`;

let app: RunningApp;
const ping = () => sh(['ip', 'netns', 'exec', 'ns1', 'ping', '-c', '1', '-W', '1', '10.2.0.2']).then(() => 'reached', () => 'lost');

describe('explain → rules view: the nftables rule that decided, by its handle', () => {
  beforeAll(async () => {
    await resetSandbox();
    await lab(LAB);
    app = await startApp({ width: 1600, height: 960 });
  });
  afterAll(async () => {
    await app?.stop();
    await resetSandbox();
  });

  it('iptables accepts, nftables drops: Explain names the nft rule; its link opens the inet f table on the first copy only', async () => {
    const { page } = app;
    await page.getByLabel('namespace ns1', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await ping()).toBe('lost');
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'explain' });
    await panel.getByLabel('Source namespace').selectOption({ label: 'ns1' });
    await panel.getByLabel('Destination namespace').selectOption({ label: 'ns2' });
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    await expect.poll(() => panel.getByRole('status', { name: 'verdict' }).textContent(), { timeout: 15_000 }).toMatch(/blocked/i);
    await panel.getByRole('region', { name: 'request path' }).getByRole('button', { name: /^ip daddr 10\.2\.0\.2 counter drop \(nft inet f fw, host\)$/ }).first().click();

    const rules = page.getByRole('complementary', { name: 'rules' });
    expect(await rules.getByRole('tab', { selected: true }).getAttribute('aria-label')).toMatch(/^nftables inet f,/);
    const rows = rules.getByRole('region', { name: 'chain fw' }).locator('li');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('aria-current')).toBe('true');
    expect(await rows.nth(1).getAttribute('aria-current')).toBeNull();
    // The first copy counted the dropped ping; the second never saw a packet.
    await page.screenshot({ path: join(artifacts, 'rules-explain-nft-drop.png') });
  });

  it('by hook: iptables-nft\'s accept at filter (0) runs first, and does not stop inet f\'s drop at filter + 10', async () => {
    const { page } = app;
    const rules = page.getByRole('complementary', { name: 'rules' });
    await rules.getByRole('button', { name: 'By hook', exact: true }).click();
    const fw = rules.getByRole('region', { name: 'nftables inet f fw' });
    expect(await fw.locator('li[aria-current="true"]').count()).toBe(1);
    const forward = await rules.getByRole('region', { name: 'hook forward' }).getByRole('region').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    // iptables-nft's filter FORWARD (0) runs before inet f's fw (filter + 10): its accept does not
    // stop the drop. (An empty legacy filter table shows too where an earlier test loaded x_tables.)
    expect(forward.filter((c) => !c?.startsWith('legacy '))).toEqual(['iptables-nft filter FORWARD', 'nftables inet f fw']);
    expect(await fw.textContent()).toContain('filter + 10 (10)');
  });
});
