import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab, resetSandbox, sh } from '../sandbox.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// Issue 15, item 3: the first view of a 20-namespace host at 1600×1000 — readable after Fit,
// no single wide strip, little empty space; new namespaces land on screen; Re-layout and side
// panels re-fit; Explain pans to the path it drew. Every figure is measured in Chromium.

/** 20 namespaces: 12 behind br0, 6 behind br1, and a pair joined to each other directly, plus an uplink. */
function twentyNamespaces(): string {
  const lines = ['ip link add up0 type veth peer name up0p', 'ip addr add 192.0.2.1/24 dev up0', 'ip link set up0 up', 'ip link set up0p up'];
  for (const [br, net] of [['br0', '10.10'], ['br1', '10.11']] as const) lines.push(`ip link add ${br} type bridge`, `ip addr add ${net}.0.1/24 dev ${br}`, `ip link set ${br} up`);
  for (let k = 1; k <= 18; k++) {
    const [br, net] = k <= 12 ? ['br0', '10.10'] : ['br1', '10.11'];
    const ns = k <= 12 ? `web${k}` : `db${k - 12}`;
    lines.push(
      `ip netns add ${ns}`,
      `ip link add vh-${ns} type veth peer name eth0 netns ${ns}`,
      `ip link set vh-${ns} master ${br}`,
      `ip link set vh-${ns} up`,
      `ip -n ${ns} addr add ${net}.0.${k + 10}/24 dev eth0`,
      `ip -n ${ns} link set eth0 up`,
      `ip -n ${ns} link set lo up`,
    );
  }
  lines.push('ip netns add left', 'ip netns add right', 'ip link add to-right netns left type veth peer name to-left netns right');
  lines.push('ip -n left addr add 10.12.0.1/30 dev to-right', 'ip -n right addr add 10.12.0.2/30 dev to-left', 'ip -n left link set to-right up', 'ip -n right link set to-left up');
  return lines.join('\n');
}

interface View {
  /** The canvas (React Flow's pane) on screen. */
  canvas: { x: number; y: number; width: number; height: number };
  /** Every namespace box on screen, by its accessible name. */
  boxes: { name: string; x: number; y: number; width: number; height: number }[];
  /** Smallest rendered font size (px) of interface and namespace names that are drawn. */
  minNamePx: number;
  zoom: number;
}

/** Measures the view: React Flow's own transform and the boxes' client rectangles. */
async function measure(page: Page): Promise<View> {
  return await page.evaluate(() => {
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const vp = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(vp).transform).a;
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node-namespace')].map((n) => {
      const r = n.getBoundingClientRect();
      return { name: n.getAttribute('aria-label') ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
    });
    const names = [...document.querySelectorAll<HTMLElement>('.if-name, .ns-name')];
    const minNamePx = Math.min(...names.map((e) => parseFloat(getComputedStyle(e).fontSize) * zoom));
    return { canvas: { x: pane.x, y: pane.y, width: pane.width, height: pane.height }, boxes, minNamePx, zoom };
  });
}

const inside = (b: View['boxes'][number], c: View['canvas']) => b.x >= c.x - 1 && b.y >= c.y - 1 && b.x + b.width <= c.x + c.width + 1 && b.y + b.height <= c.y + c.height + 1;
/** Every box the host has that is not wholly on screen; zoomed in, React Flow does not even draw those off screen. */
let everyBox: string[] = [];
const outside = (v: View) => everyBox.filter((name) => !v.boxes.some((b) => b.name === name && inside(b, v.canvas)));

/** The bounding box of every namespace box, and how much of the canvas it and the boxes fill. */
function fill(v: View): { bboxShare: number; boxShare: number; aspect: number; rows: number } {
  const x0 = Math.min(...v.boxes.map((b) => b.x));
  const y0 = Math.min(...v.boxes.map((b) => b.y));
  const x1 = Math.max(...v.boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...v.boxes.map((b) => b.y + b.height));
  const area = v.canvas.width * v.canvas.height;
  const rows = new Set(v.boxes.map((b) => Math.round(b.y / 20))).size;
  return { bboxShare: ((x1 - x0) * (y1 - y0)) / area, boxShare: v.boxes.reduce((a, b) => a + b.width * b.height, 0) / area, aspect: (x1 - x0) / (y1 - y0), rows };
}

let app: RunningApp;

describe('layout of a 20-namespace host at 1600×1000', () => {
  beforeAll(async () => {
    await resetSandbox();
    await lab(twentyNamespaces());
    app = await startApp({ width: 1600, height: 1000 });
    await app.page.getByLabel('namespace web12', { exact: true }).first().waitFor({ state: 'attached', timeout: 20_000 });
    // Let the first layout land and the first fit run.
    await app.page.waitForTimeout(800);
  });
  afterAll(async () => {
    await app?.stop();
    await resetSandbox();
  });

  it('the first view shows all 21 boxes, names ≥ 10 px, in rows (not one strip), filling the canvas', async () => {
    const { page } = app;
    await page.screenshot({ path: join(artifacts, 'layout-20ns.png') });
    const v = await measure(page);
    const f = fill(v);
    console.log(`first view: zoom ${v.zoom.toFixed(2)}, names ≥ ${v.minNamePx.toFixed(1)} px, ${v.boxes.length} boxes in ${f.rows} rows, aspect ${f.aspect.toFixed(2)}, bbox ${(f.bboxShare * 100).toFixed(0)} % of the canvas, boxes ${(f.boxShare * 100).toFixed(0)} %`);
    expect(v.boxes).toHaveLength(21);
    everyBox = v.boxes.map((b) => b.name);
    expect(outside(v)).toEqual([]);
    expect(v.minNamePx).toBeGreaterThanOrEqual(10);
    expect(f.rows).toBeGreaterThanOrEqual(3);
    expect(f.aspect).toBeLessThan(2.4);
    expect(f.bboxShare).toBeGreaterThan(0.7);
    // Every interface's text fits its node (sizes are fixed before anything is in the DOM).
    const cut = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.if-node')].filter((n) => n.scrollHeight > n.clientHeight + 1).map((n) => n.querySelector('.if-name')?.textContent));
    expect(cut).toEqual([]);
    // Fitted, the overview map would only hide a corner of the picture.
    expect(await page.getByLabel('overview of the graph').count()).toBe(0);
  });

  it('a namespace created outside the app lands on screen, without searching for it', async () => {
    const { page } = app;
    await sh(['ip', 'netns', 'add', 'late']);
    const late = page.getByLabel('namespace late', { exact: true }).first();
    await late.waitFor({ state: 'visible', timeout: 5_000 });
    everyBox.push('namespace late');
    await expect.poll(async () => outside(await measure(page)), { timeout: 3_000 }).toEqual([]);
  });

  it('Re-layout re-fits a view the user had zoomed into', async () => {
    const { page } = app;
    await page.locator('.react-flow__pane').hover({ position: { x: 400, y: 300 } });
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
    await expect.poll(async () => outside(await measure(page)).length, { timeout: 3_000 }).toBeGreaterThan(5);
    await page.getByLabel('overview of the graph').waitFor({ state: 'visible', timeout: 2_000 });
    await page.getByRole('button', { name: /re-?layout/i }).click();
    await expect.poll(async () => outside(await measure(page)), { timeout: 5_000 }).toEqual([]);
    await page.getByLabel('overview of the graph').waitFor({ state: 'detached', timeout: 2_000 });
  });

  it('opening and closing a side panel re-fits: nothing hides behind it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Rules/ }).click();
    await page.getByRole('complementary', { name: /rules/i }).waitFor({ state: 'visible', timeout: 5_000 });
    await expect.poll(async () => outside(await measure(page)), { timeout: 3_000 }).toEqual([]);
    const narrowed = await measure(page);
    await page.screenshot({ path: join(artifacts, 'layout-20ns-panel.png') });
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await measure(page)).canvas.width, { timeout: 3_000 }).toBeGreaterThan(narrowed.canvas.width);
    await expect.poll(async () => outside(await measure(page)), { timeout: 3_000 }).toEqual([]);
    // Back at full width, the view grows again rather than staying at the narrow zoom.
    await expect.poll(async () => (await measure(page)).zoom, { timeout: 3_000 }).toBeGreaterThan(narrowed.zoom);
  });

  it('Explain pans and zooms to the path it drew, even from a view zoomed in elsewhere', async () => {
    const { page } = app;
    await page.locator('.react-flow__pane').hover({ position: { x: 200, y: 200 } });
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -300);
    await page.keyboard.press('e');
    const panel = page.getByRole('complementary', { name: 'explain' });
    await panel.getByLabel('Source namespace').selectOption({ label: 'left' });
    await panel.getByLabel('Destination namespace').selectOption({ label: 'right' });
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    await panel.getByRole('status', { name: 'verdict' }).waitFor({ state: 'visible', timeout: 15_000 });
    await expect
      .poll(
        async () => {
          const v = await measure(page);
          return ['namespace left', 'namespace right'].filter((n) => !v.boxes.some((b) => b.name === n && inside(b, v.canvas)));
        },
        { timeout: 3_000 },
      )
      .toEqual([]);
    await page.screenshot({ path: join(artifacts, 'layout-20ns-explain.png') });
  });
});
