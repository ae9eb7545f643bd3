import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab, resetSandbox, sh } from '../sandbox.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// Issue 6 in browser mode: the ⋯ menu and its keys — save a layout, open it (and a bad one),
// export PNG, SVG and a shell script as downloads, the theme switch (remembered), and every
// panel looked at once in light and once in dark.
const LAB = `
ip link add br0 type bridge
ip addr add 10.0.0.1/24 dev br0
ip link set br0 up
ip netns add web
ip netns add db
ip link add veth-web type veth peer name eth0 netns web
ip link add veth-db type veth peer name eth0 netns db
ip link set veth-web master br0
ip link set veth-db master br0
ip link set veth-web up
ip link set veth-db up
ip -n web addr add 10.0.0.2/24 dev eth0
ip -n db addr add 10.0.0.3/24 dev eth0
ip -n web link set eth0 up
ip -n db link set eth0 up
ip -n web route add default via 10.0.0.1
`;

let app: RunningApp;
let stateDir = '';
const namespaces = async () => (await sh(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]);

async function fromMenu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'file menu' }).click();
  await page.getByRole('menuitem', { name: new RegExp(`^${item}`) }).click();
}

async function downloaded(page: Page, action: () => Promise<void>): Promise<{ name: string; bytes: Buffer; ms: number }> {
  const t0 = performance.now();
  const [download] = (await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), action()])) as [Download, void];
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path), ms: performance.now() - t0 };
}

/** The web namespace's box: its graph id and where it sits. */
async function webBox(page: Page): Promise<{ id: string; x: number; y: number }> {
  return await page.getByLabel('namespace web', { exact: true }).first().evaluate((el) => {
    const node = el.closest('.react-flow__node') as HTMLElement;
    const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(node.style.transform);
    return { id: node.dataset['id'] ?? '', x: Number(m?.[1]), y: Number(m?.[2]) };
  });
}

describe('desktop actions in browser mode', () => {
  beforeAll(async () => {
    await resetSandbox();
    await lab(LAB);
    stateDir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
    app = await startApp({ width: 1440, height: 900 }, { NETLOOM_STATE_DIR: stateDir });
    await app.page.getByLabel('namespace web', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await resetSandbox();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('undo (Ctrl+Z) and redo (Ctrl+Y) of a plan made in the window', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New ▾' }).click();
    await page.getByRole('menuitem', { name: 'Namespace…' }).click();
    await page.getByLabel('Name', { exact: true }).fill('redo1');
    await page.getByRole('dialog', { name: 'New network namespace' }).locator('button[type=submit]').click();
    const pending = page.getByRole('complementary', { name: 'pending changes' });
    await pending.getByRole('button', { name: /^Apply \d+ steps?$/ }).click();
    const result = page.getByRole('status', { name: 'result' });
    await result.getByText(/^Applied \d+ steps? in \d+ ms\.$/).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await namespaces()).toContain('redo1');
    await page.locator('body').click({ position: { x: 5, y: 880 } }).catch(() => {});
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
    await result.getByText(/^Undid the last plan/).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await namespaces()).not.toContain('redo1');
    await page.keyboard.press('Control+Y');
    await result.getByText(/^Redid the plan/).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await namespaces()).toContain('redo1');
    // The live graph follows: host, web, db and redo1 again.
    await expect.poll(() => page.locator('.toolbar .host').textContent(), { timeout: 10_000 }).toMatch(/· 4 namespaces/);
  });

  it('exports the topology as a shell script (menu)', async () => {
    const { name, bytes } = await downloaded(app.page, () => fromMenu(app.page, 'Export as shell script'));
    const text = bytes.toString('utf8');
    expect(name).toMatch(/^netloom-.+-\d{4}-\d\d-\d\d\.sh$/);
    expect(text).toContain('set -euo pipefail');
    expect(text).toContain('ip netns add web');
    expect(text).toMatch(/ip link add name veth-(web|db) type veth peer name eth0 netns (web|db)/);
    expect(text).toContain('ip -n web route add default via 10.0.0.1 dev eth0');
  });

  it('exports PNG (Ctrl+Shift+E) and SVG (menu) of the whole graph', async () => {
    const png = await downloaded(app.page, () => app.page.keyboard.press('Control+Shift+E'));
    expect(png.name).toMatch(/\.png$/);
    expect([...png.bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.bytes.length).toBeGreaterThan(5_000);
    writeFileSync(join(artifacts, 'desktop-export.png'), png.bytes);
    const svg = await downloaded(app.page, () => fromMenu(app.page, 'Export SVG'));
    expect(svg.bytes.toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.bytes.toString('utf8')).toContain('veth-web');
    console.log(`export: PNG ${png.bytes.length} B in ${png.ms.toFixed(0)} ms; SVG ${svg.bytes.length} B in ${svg.ms.toFixed(0)} ms`);
  });

  it('saves the layout (Ctrl+S) and opens it back; a bad file names the field and moves nothing', async () => {
    const { page } = app;
    const saved = await downloaded(page, () => page.keyboard.press('Control+S'));
    const file = JSON.parse(saved.bytes.toString('utf8')) as { format: string; version: number; host: string; positions: Record<string, { x: number; y: number }> };
    expect(file).toMatchObject({ format: 'netloom-layout', version: 1 });
    const before = await webBox(page);
    expect(file.positions[before.id]).toBeDefined();

    const bad = join(artifacts, 'bad-layout.json');
    writeFileSync(bad, JSON.stringify({ ...file, version: 2 }));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Control+O')]);
    await chooser.setFiles(bad);
    await expect.poll(async () => (await page.getByRole('status').allTextContents()).join(' ') + (await page.getByRole('alert').allTextContents()).join(' '), { timeout: 5_000 }).toMatch(/bad-layout\.json: This is not a valid netloom layout: version: /);
    expect(await webBox(page)).toEqual(before);

    const moved = join(artifacts, 'moved-layout.json');
    const pos = file.positions[before.id]!;
    writeFileSync(moved, JSON.stringify({ ...file, positions: { ...file.positions, [before.id]: { x: pos.x + 400, y: pos.y + 250 } } }));
    const [chooser2] = await Promise.all([page.waitForEvent('filechooser'), fromMenu(page, 'Open layout')]);
    await chooser2.setFiles(moved);
    await expect.poll(async () => (await webBox(page)).x, { timeout: 5_000 }).toBe(pos.x + 400);
    expect((await webBox(page)).y).toBe(pos.y + 250);
  });

  it('every panel, once in light and once in dark; the choice survives a reload', async () => {
    const { page } = app;
    const shots: string[] = [];
    for (const theme of ['Light', 'Dark'] as const) {
      await page.getByRole('button', { name: 'file menu' }).click();
      await page.getByRole('radio', { name: theme }).click();
      await page.keyboard.press('Escape');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe(theme === 'Light' ? 'rgb(245, 246, 248)' : 'rgb(14, 17, 22)');
      const t = theme.toLowerCase();
      await page.getByLabel('interface eth0 in web', { exact: true }).first().click();
      await page.screenshot({ path: join(artifacts, `theme-${t}-inspector.png`) });
      await page.getByRole('button', { name: 'Rules', exact: true }).click();
      await page.screenshot({ path: join(artifacts, `theme-${t}-rules.png`) });
      await page.getByRole('button', { name: /^Port mappings/ }).click();
      await page.screenshot({ path: join(artifacts, `theme-${t}-portmappings.png`) });
      await page.getByRole('button', { name: 'keyboard shortcuts' }).click();
      await page.screenshot({ path: join(artifacts, `theme-${t}-help.png`) });
      await page.getByRole('button', { name: 'keyboard shortcuts' }).click();
      await fromMenu(page, 'About netloom');
      const about = page.getByRole('dialog', { name: 'About netloom' });
      await expect.poll(() => about.textContent(), { timeout: 5_000 }).toMatch(/Helper\s*\S+.*Capabilities\s*topology\.get/);
      await page.screenshot({ path: join(artifacts, `theme-${t}-about.png`) });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'file menu' }).click();
      await page.screenshot({ path: join(artifacts, `theme-${t}-menu.png`) });
      await page.keyboard.press('Escape');
      shots.push(t);
    }
    await page.reload();
    await page.getByLabel('namespace web', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(14, 17, 22)');
    expect(shots).toEqual(['light', 'dark']);
  }, 60_000);
});
