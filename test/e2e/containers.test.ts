import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerd, type DockerLab } from '../integration/docker-lab.js';
import { resetSandbox } from '../sandbox.js';
import { artifacts, root, startApp } from './app.js';
import type { RunningApp } from './app.js';

// Debian's real dockerd in the sandbox (test/integration/docker-lab.ts): two containers on two
// Docker networks, drawn by their names, and one more started while the page watches.

let d: DockerLab;
let app: RunningApp;

describe('containers in browser mode (real dockerd in the sandbox)', () => {
  beforeAll(async () => {
    await resetSandbox();
    d = await startDockerd();
    await d.docker('network', 'create', '--subnet', '192.168.100.0/24', '--gateway', '192.168.100.1', '-o', 'com.docker.network.bridge.enable_icc=false', 'my-bridge-network');
    await d.docker('run', '-d', '--name', 'web', '-p', '18080:80', 'bb:local', 'httpd', '-f', '-p', '80');
    await d.docker('run', '-d', '--name', 'app', '--network', 'my-bridge-network', 'bb:local', 'sleep', '3600');
    app = await startApp({ width: 1440, height: 900 }, { DOCKER_HOST: `unix://${d.socket}` });
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await d?.stop();
    await resetSandbox();
  }, 60_000);

  it('draws each container\'s namespace by its name, runtime and image', async () => {
    const { page } = app;
    for (const name of ['web', 'app']) {
      const box = page.getByLabel(`namespace ${name}`, { exact: true }).first();
      await box.waitFor({ state: 'visible', timeout: 15_000 });
      await expect.poll(async () => await box.textContent(), { timeout: 5_000 }).toContain('Docker · bb:local');
    }
    // The bridges show their Docker network names.
    await expect.poll(async () => await page.getByLabel('bridge docker0', { exact: true }).first().textContent(), { timeout: 5_000 }).toContain('bridge');
    const userBridge = page.locator('.react-flow__node').filter({ has: page.locator('.if-net', { hasText: 'my-bridge-network' }) });
    await userBridge.first().waitFor({ state: 'visible', timeout: 5_000 });
    await page.screenshot({ path: join(artifacts, 'containers.png') });
    // docs/containers.png is refreshed on request only, so a test run leaves the checkout clean.
    if (process.env.NETLOOM_DOCS_SCREENSHOTS === '1') {
      mkdirSync(join(root, 'docs'), { recursive: true });
      copyFileSync(join(artifacts, 'containers.png'), join(root, 'docs', 'containers.png'));
    }
  });

  it('clicking a container opens the inspector with its image and networks', async () => {
    const { page } = app;
    await page.getByLabel('namespace app', { exact: true }).first().click({ position: { x: 60, y: 12 } });
    const inspector = page.getByRole('complementary', { name: /inspector/i });
    const c = inspector.getByRole('region', { name: 'Container' });
    await c.waitFor({ state: 'visible', timeout: 5_000 });
    await expect.poll(async () => await c.textContent()).toContain('bb:local');
    const nets = c.getByRole('list', { name: 'container networks' });
    await expect.poll(async () => await nets.textContent()).toContain('192.168.100.2/24 · gateway 192.168.100.1');
    await expect.poll(async () => await nets.textContent()).toContain('containers on my-bridge-network cannot reach each other: enable_icc=false');
  });

  it('clicking a Docker bridge shows its network and what it does', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    await page.getByLabel('bridge docker0', { exact: true }).first().click();
    const sec = page.getByRole('complementary', { name: /inspector/i }).getByRole('region', { name: 'Runtime network' });
    await sec.waitFor({ state: 'visible', timeout: 5_000 });
    await expect.poll(async () => await sec.textContent()).toContain("Docker's default network: containers started without --network join it");
  });

  it('a container started while the page watches appears by name', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    const t = Date.now();
    await d.docker('run', '-d', '--name', 'late', 'bb:local', 'sleep', '3600');
    const returned = Date.now() - t;
    const node = page.getByLabel('namespace late', { exact: true }).first();
    // It may be placed outside the viewport: the search centres it once the patch is in.
    await expect
      .poll(async () => {
        await page.keyboard.press('Control+f');
        await page.keyboard.press('Control+a');
        await page.keyboard.type('late');
        await page.keyboard.press('Enter');
        return await node.isVisible();
      }, { timeout: 4_000, interval: 100 })
      .toBe(true);
    console.log(`docker run → container "late" on screen: ${Date.now() - t} ms (docker run itself took ${returned} ms)`);
  });
});
