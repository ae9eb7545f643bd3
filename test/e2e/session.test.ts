import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAKEN_OVER_REASON } from '../../protocol/src/browser-mode.js';
import { resetSandbox } from '../sandbox.js';
import type { ChildProcess } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, startServe } from './app.js';

// Browser mode's access (issue 13 item 4), in Chromium: the printed URL works once and leaves the
// address bar; the session is one page at a time, and the page that lost it says so and can take it back.

let url = '';
let server: ChildProcess;
let browser: Browser;
let context: BrowserContext;
let first: Page;

const status = (page: Page) => page.getByRole('status', { name: 'connection' });

describe('browser mode: a one-time link, one page at a time', () => {
  beforeAll(async () => {
    await resetSandbox();
    ({ url, server } = await startServe());
    browser = await launchChromium();
    context = await browser.newContext();
    first = await context.newPage();
    await first.goto(url);
  });
  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  it('the token leaves the address bar and the first page goes live', async () => {
    await expect.poll(async () => await status(first).textContent(), { timeout: 15_000 }).toMatch(/^live/);
    expect(new URL(first.url()).searchParams.get('token')).toBeNull();
  });

  it('a second tab of the same browser takes over; the first says why, does not fight back, and can take the session back', async () => {
    const second = await context.newPage();
    await second.goto(url);
    await expect.poll(async () => await status(second).textContent(), { timeout: 15_000 }).toMatch(/^live/);
    await expect.poll(async () => await status(first).textContent(), { timeout: 5_000 }).toContain(TAKEN_OVER_REASON);
    // No automatic retry: after the backoff's first step the second page is still the live one.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await status(second).textContent()).toMatch(/^live/);
    await first.getByRole('button', { name: 'Use netloom here' }).click();
    await expect.poll(async () => await status(first).textContent(), { timeout: 10_000 }).toMatch(/^live/);
    await expect.poll(async () => await status(second).textContent(), { timeout: 5_000 }).toContain(TAKEN_OVER_REASON);
    await second.close();
  });

  it('another browser (no session cookie) gets the link refused: it was already used', async () => {
    const other = await browser.newContext();
    const page = await other.newPage();
    const res = await page.goto(url);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('body')).toMatch(/already used/);
    await other.close();
  });
});
