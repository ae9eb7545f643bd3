import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSandbox } from '../sandbox.js';
import { criInstalled, startContainerd, type CriLab } from '../integration/cri-lab.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// A Kubernetes node's pods (issue 14): containerd with its CRI plugin and the CNI bridge in the
// sandbox, a pod made through the CRI as the kubelet would; the canvas names its namespace after
// the pod and the inspector lists the pod's containers.

const missing = criInstalled();
let app: RunningApp;
let lab: CriLab;

describe.skipIf(missing !== null)(`pods named from the CRI, in browser mode${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await resetSandbox();
    lab = await startContainerd();
    await lab.runPod({ name: 'web', namespace: 'default', uid: 'uid-web-1', hostPort: 18080, containers: ['httpd', 'sidecar'] });
    app = await startApp({ width: 1440, height: 900 }, { CONTAINER_RUNTIME_ENDPOINT: `unix://${lab.socket}` });
  });
  afterAll(async () => {
    await app?.stop();
    await lab?.stop();
    await resetSandbox();
  });

  it('draws the pod by name on cni0, and its inspector lists the pod and its two containers', async () => {
    const { page } = app;
    const ns = page.getByLabel(/^namespace pod default\/web/).first();
    await ns.waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByLabel('bridge cni0', { exact: true }).first().waitFor({ state: 'visible', timeout: 5_000 });
    await ns.click({ position: { x: 20, y: 8 } });
    const pod = page.getByRole('complementary', { name: /inspector/i }).getByRole('region', { name: 'Pod' });
    await pod.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await pod.textContent()).toContain('uid-web-1');
    const names = await pod.getByRole('list', { name: 'pod containers' }).getByRole('listitem').locator('strong').allTextContents();
    expect(names.sort()).toEqual(['httpd', 'sidecar']);
    expect(await page.getByRole('complementary', { name: /inspector/i }).locator('.kind-chip').textContent()).toBe('containerd (CRI) pod');
    await page.screenshot({ path: join(artifacts, 'pod-inspector.png') });
  });
});
