import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab, resetSandbox, sh } from '../sandbox.js';
import { artifacts, root, startApp } from './app.js';
import type { RunningApp } from './app.js';
import { routedLab } from './routed-lab.js';

// ns1 and ns2 on two veth pairs into the sandbox's host namespace, which is their router —
// with forwarding off, so ns1 cannot reach ns2 (issue 7's "forwarding off" case).
const LAB = routedLab(false);

let app: RunningApp;
let stateDir = '';
/** The sandbox's forwarding before this file, put back after it. */
let forwardBefore = '';

/** The lab (plus `extra` shell lines) and the app on it; undone after the describe block. */
function withLab(extra = ''): void {
  beforeAll(async () => {
    await resetSandbox();
    forwardBefore = (await sh(['sysctl', '-n', 'net.ipv4.ip_forward'])).trim();
    await lab(LAB);
    if (extra) await lab(extra);
    stateDir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
    app = await startApp({ width: 1600, height: 960 }, { NETLOOM_STATE_DIR: stateDir });
  });
  afterAll(async () => {
    await app?.stop();
    await resetSandbox();
    if (forwardBefore) await sh(['sysctl', '-q', '-w', `net.ipv4.ip_forward=${forwardBefore}`]).catch(() => {});
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
}

const ping = () =>
  sh(['ip', 'netns', 'exec', 'ns1', 'ping', '-c', '1', '-W', '1', '10.2.0.2']).then(
    () => 'reached',
    () => 'lost',
  );

describe('explain: ns1 cannot reach ns2 (forwarding off); the path on the canvas, the fix, green', () => {
  withLab();

  it('the lab is really broken: a ping from ns1 to ns2 gets no answer', async () => {
    await app.page.getByLabel('namespace ns1', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await ping()).toBe('lost');
  });

  it('E opens Explain; ns1 → ns2 is blocked: a red hop on the canvas and the finding, in plain words', async () => {
    const { page } = app;
    await page.keyboard.press('e');
    const panel = page.getByRole('complementary', { name: 'explain' });
    await panel.getByLabel('Source namespace').selectOption({ label: 'ns1' });
    await panel.getByLabel('Destination namespace').selectOption({ label: 'ns2' });
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    const verdict = panel.getByRole('status', { name: 'verdict' });
    await verdict.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await verdict.textContent()).toMatch(/blocked/i);
    // Drawn on the canvas: the request path with hop badges, a dropped hop in red.
    await page.locator('.if-node.ex-blocked').first().waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.locator('.if-node.ex-req').count()).toBeGreaterThan(1);
    expect(await page.locator('.ex-edge-req').count()).toBeGreaterThan(0);
    await page.getByRole('note', { name: /dropped here/ }).first().waitFor({ state: 'visible' });
    const request = panel.getByRole('region', { name: 'request path' });
    expect(await request.getByRole('listitem').count()).toBeGreaterThan(2);
    const findings = panel.getByRole('list', { name: 'findings' });
    expect(await findings.textContent()).toMatch(/forwarding/i);
    // What decided it is a link: the host's forwarding setting opens the host in the inspector.
    await findings.getByRole('button', { name: /ip_forward = 0/ }).first().click();
    const inspector = page.getByRole('complementary', { name: 'inspector' });
    await inspector.getByRole('heading', { name: 'host' }).waitFor({ state: 'visible', timeout: 5_000 });
    expect(await inspector.textContent()).toMatch(/IPv4 forwarding\s*off/);
    // A hop decided by a route opens its namespace with that route pointed at.
    await request.getByRole('button', { name: /^route default via 10\.1\.0\.1/ }).first().click();
    await inspector.getByRole('heading', { name: 'ns1' }).waitFor({ state: 'visible', timeout: 5_000 });
    expect(await inspector.locator('li[aria-current="true"]').textContent()).toMatch(/^default via 10\.1\.0\.1/);
    await inspector.getByRole('button', { name: 'close inspector' }).click();
    expect(await page.locator('.if-node.ex-req:not(.ex-blocked)').count()).toBeGreaterThan(0);
    // The picture in docs/: tall enough for the verdict, the finding and every hop, the lab fitted beside it.
    await page.setViewportSize({ width: 1600, height: 1320 });
    await panel.evaluate((el) => el.scrollTo(0, 0));
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('f');
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(artifacts, 'explain.png') });
    // docs/explain.png is refreshed on request only, so a test run leaves the checkout clean.
    if (process.env.NETLOOM_DOCS_SCREENSHOTS === '1') copyFileSync(join(artifacts, 'explain.png'), join(root, 'docs', 'explain.png'));
    await page.setViewportSize({ width: 1600, height: 960 });
  });

  it('Fix… shows the exact commands first; Apply turns the path green and a real ping gets through', async () => {
    const { page } = app;
    const panel = page.getByRole('complementary', { name: 'explain' });
    await panel.getByRole('list', { name: 'findings' }).getByRole('button', { name: /^Fix…/ }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Fix: / });
    await dialog.getByLabel('command 1', { exact: true }).waitFor({ state: 'visible', timeout: 10_000 });
    expect((await dialog.locator('pre').allTextContents()).join('\n')).toMatch(/ip_forward/);
    expect(await ping()).toBe('lost');
    await page.screenshot({ path: join(artifacts, 'explain-fix.png') });
    await dialog.getByRole('button', { name: /^Apply \d+ steps?$/ }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    const verdict = panel.getByRole('status', { name: 'verdict' });
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toMatch(/reaches/i);
    await expect.poll(() => page.locator('.if-node.ex-blocked').count(), { timeout: 5_000 }).toBe(0);
    expect(await page.locator('.if-node.exv-reaches.ex-req').count()).toBeGreaterThan(1);
    expect(await page.locator('.if-node.ex-resp').count()).toBeGreaterThan(1);
    expect(await ping()).toBe('reached');
    await page.screenshot({ path: join(artifacts, 'explain-reaches.png') });
  });

  it('Check for real: the probe reaches and agrees with the prediction', async () => {
    const panel = app.page.getByRole('complementary', { name: 'explain' });
    await panel.getByRole('button', { name: 'Check for real' }).click();
    const result = panel.getByRole('status', { name: 'probe result' });
    await result.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await result.textContent()).toMatch(/reached/);
    expect(await result.textContent()).toContain('Agrees with the prediction.');
  });

  it('TCP to a port nothing listens on: it arrived and was refused (RST), not "never arrives" (issue 15)', async () => {
    const panel = app.page.getByRole('complementary', { name: 'explain' });
    await panel.getByLabel('Protocol').selectOption('tcp');
    await panel.getByLabel('Port', { exact: true }).fill('81');
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    const verdict = panel.getByRole('status', { name: 'verdict' });
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toMatch(/tcp port 81.*blocked/i);
    expect(await verdict.textContent()).toMatch(/arrived at 10\.2\.0\.2:81 in ns2, but nothing listens on tcp port 81: the kernel refuses it with a reset \(RST\)/);
    const response = panel.getByRole('region', { name: 'response path' });
    expect(await response.textContent()).toContain('the request arrived and was refused — the kernel answers with a reset (RST)');
    expect(await response.textContent()).not.toContain('never arrives');
    await app.page.screenshot({ path: join(artifacts, 'explain-refused.png') });
    // Back to the ping the next tests ask about.
    await panel.getByLabel('Protocol').selectOption('icmp');
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toMatch(/reaches/i);
  });

  it('Ctrl+Z undoes the fix: the path is blocked again and so is the real ping', async () => {
    const { page } = app;
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await page.getByRole('status', { name: 'result' }).getByText(/^Undid the last plan/).waitFor({ state: 'visible', timeout: 15_000 });
    const verdict = page.getByRole('complementary', { name: 'explain' }).getByRole('status', { name: 'verdict' });
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toMatch(/blocked/i);
    expect(await ping()).toBe('lost');
  });

  it('two namespaces selected on the canvas: "Explain these two" asks from the first picked to the second', async () => {
    const { page } = app;
    await page.getByLabel('namespace ns2', { exact: true }).first().click({ position: { x: 40, y: 12 } });
    await page.getByLabel('namespace ns1', { exact: true }).first().click({ position: { x: 40, y: 12 }, modifiers: ['Control'] });
    await page.getByRole('button', { name: 'Explain these two' }).click();
    const verdict = page.getByRole('complementary', { name: 'explain' }).getByRole('status', { name: 'verdict' });
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toMatch(/ns2.*→.*ns1/);
  });

  it('right-click: "Explain from ns2…" on its box, then "Explain to eth0 in ns1" asks ns2 → ns1', async () => {
    const { page } = app;
    await page.getByLabel('namespace ns2', { exact: true }).first().click({ position: { x: 40, y: 12 }, button: 'right' });
    await page.getByRole('menu', { name: 'explain ns2' }).getByRole('menuitem', { name: 'Explain from ns2…' }).click();
    await page.getByLabel('interface eth0 in ns1', { exact: true }).first().click({ button: 'right' });
    await page.getByRole('menu', { name: 'explain eth0 in ns1' }).getByRole('menuitem', { name: 'Explain to eth0 in ns1' }).click();
    const panel = page.getByRole('complementary', { name: 'explain' });
    await expect.poll(() => panel.getByRole('status', { name: 'verdict' }).textContent(), { timeout: 10_000 }).toMatch(/ns2.*→.*ns1 \(10\.1\.0\.2\)/);
    expect(await panel.getByLabel('Destination address (optional)').inputValue()).toBe('10.1.0.2');
  });

  it('closing the panel clears the path from the canvas; Health (H) lists the finding and its fix works from there', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'close explain' }).click();
    expect(await page.locator('.ex-on').count()).toBe(0);
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('h');
    const health = page.getByRole('complementary', { name: 'health' });
    const finding = health.getByRole('listitem', { name: /forwarding is off/i }).first();
    await finding.waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'explain-health.png') });
    // Its fix from the health view: commands first, then Apply; the finding goes away and ns1 reaches ns2 again.
    await finding.getByRole('button', { name: /^Fix…/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Fix: / });
    await dialog.getByLabel('command 1', { exact: true }).waitFor({ state: 'visible', timeout: 10_000 });
    await dialog.getByRole('button', { name: /^Apply \d+ steps?$/ }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => health.getByRole('listitem', { name: /forwarding is off/i }).count(), { timeout: 10_000 }).toBe(0);
    expect(await ping()).toBe('reached');
  });
});

describe('explain: FORWARD policy DROP — the decider opens the rules view on that chain; the fix accepts the pair', () => {
  withLab(`
    sysctl -q -w net.ipv4.ip_forward=1
    iptables -P FORWARD DROP
  `);

  it('blocked by the policy; its link opens Rules on filter/FORWARD; Fix… then Apply makes it reach, for real too', async () => {
    const { page } = app;
    await page.getByLabel('namespace ns1', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await ping()).toBe('lost');
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'explain' });
    await panel.getByLabel('Source namespace').selectOption({ label: 'ns1' });
    await panel.getByLabel('Destination namespace').selectOption({ label: 'ns2' });
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    const verdict = panel.getByRole('status', { name: 'verdict' });
    await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toMatch(/blocked/i);
    await page.locator('.if-node.ex-blocked').first().waitFor({ state: 'visible', timeout: 5_000 });
    await panel.getByRole('region', { name: 'request path' }).getByRole('button', { name: /^FORWARD policy DROP \(filter, host\)$/ }).first().click();
    const rules = page.getByRole('complementary', { name: 'rules' });
    expect(await rules.getByRole('tab', { selected: true }).textContent()).toMatch(/^filter/);
    expect(await rules.getByRole('region', { name: 'chain FORWARD' }).getAttribute('class')).toContain('is-focused');
    await page.screenshot({ path: join(artifacts, 'explain-forward-drop.png') });
    await rules.getByRole('button', { name: 'close rules' }).click();
    await panel.getByRole('list', { name: 'findings' }).getByRole('button', { name: /^Fix…/ }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Fix: / });
    await dialog.getByLabel('command 1', { exact: true }).waitFor({ state: 'visible', timeout: 10_000 });
    expect((await dialog.locator('pre').allTextContents()).join('\n')).toMatch(/iptables/);
    await dialog.getByRole('button', { name: /^Apply \d+ steps?$/ }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toMatch(/reaches/i);
    expect(await page.locator('.if-node.ex-blocked').count()).toBe(0);
    expect(await ping()).toBe('reached');
  });
});
