import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { assertInSandbox } from '../sandbox.js';

/** Starts `netloom serve` (built bundle) and Debian's Chromium on its URL, inside the sandbox. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = join(root, 'test-results');

export interface RunningApp {
  url: string;
  server: ChildProcess;
  browser: Browser;
  page: Page;
  /** Console errors and Content-Security-Policy violations since the page was opened. */
  problems: string[];
  stop(): Promise<void>;
}

/** `env` is added to this process's environment (e.g. NETLOOM_STATE_DIR for a private plan journal). */
export async function startServe(env: Record<string, string> = {}, args: string[] = [], ownPids = false): Promise<{ url: string; server: ChildProcess }> {
  assertInSandbox();
  const argv = [process.execPath, join(root, 'out/helper/netloom.cjs'), 'serve', '--port', '0', '--no-open', ...args];
  // ownPids: serve sees only its own processes (its own PID namespace and /proc), so "hosts" the
  // test runs elsewhere in the sandbox are not also seen as this machine's process namespaces.
  const [cmd, ...rest] = ownPids ? ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--', ...argv] : argv;
  const server = spawn(cmd as string, rest, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`netloom serve printed no URL: ${out}`)), 15_000);
    server.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.once('exit', (code) => reject(new Error(`netloom serve exited (${code}): ${out}`)));
  });
  return { url, server };
}

export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** `args` go to `netloom serve` (e.g. `--host` for several hosts). */
export async function startApp(viewport = { width: 1440, height: 900 }, env: Record<string, string> = {}, args: string[] = [], ownPids = false): Promise<RunningApp> {
  mkdirSync(artifacts, { recursive: true });
  const { url, server } = await startServe(env, args, ownPids);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (e) => {
    console.error('page error:', e.message);
    problems.push(`page error: ${e.message}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  // A violation caught by the page's own code still fires this event (and logs an error).
  await page.exposeFunction('__netloomCsp', (what: string) => problems.push(`csp: ${what}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => void (window as unknown as { __netloomCsp: (s: string) => void }).__netloomCsp(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  return {
    url,
    server,
    browser,
    page,
    problems,
    stop: async () => {
      await browser.close();
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        // unshare blocks SIGTERM while it waits; SIGKILL ends it and, with --kill-child, its serve.
        server.kill(server.spawnargs[0] === 'unshare' ? 'SIGKILL' : 'SIGTERM');
        await exited;
      }
    },
  };
}
