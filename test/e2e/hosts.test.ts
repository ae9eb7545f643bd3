import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab, resetSandbox } from '../sandbox.js';
import { startSshLab, type SshHost, type SshLab } from '../integration/ssh-lab.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// Several hosts on one canvas (issue 14): `netloom serve --host hostb=root@…` in the sandbox,
// with a VXLAN between this machine and host b and one from host b to 192.0.2.7 (never up).

let app: RunningApp;
let ssh: SshLab;

describe('two hosts on one canvas, in browser mode', () => {
  beforeAll(async () => {
    await resetSandbox();
    ssh = await startSshLab(['hostb']);
    const b = ssh.hosts[0] as SshHost;
    await lab(`
      ip link add vx42 type vxlan id 42 local 10.77.0.1 remote ${b.addr} dstport 4789 dev nlsshbr0
      ip link set vx42 up
    `);
    for (const step of [`ip link add vx42 type vxlan id 42 local ${b.addr} remote 10.77.0.1 dstport 4789 dev eth0`, 'ip link set vx42 up', `ip link add vx7 type vxlan id 7 local ${b.addr} remote 192.0.2.7 dstport 4789 dev eth0`, 'ip netns add only-on-b']) await b.run(step.split(' '));
    app = await startApp({ width: 1440, height: 900 }, { NETLOOM_STATE_DIR: join(ssh.dir, 'state-local') }, ['--ssh-config', ssh.config, '--host', `hostb=root@${b.addr}`], true);
  });
  afterAll(async () => {
    await app?.stop();
    await ssh?.close();
    await resetSandbox();
  });

  it('shows each host as a group, host b\'s namespaces marked with its name', async () => {
    const { page } = app;
    // Exactly "host hostb" once its picture is live ("host hostb, connecting" before); then Fit
    // brings its nodes, which arrived after the first fit, into view.
    await page.getByLabel('host hostb', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    for (const name of ['host local', 'namespace host', 'namespace host on hostb', 'namespace only-on-b on hostb', 'interface vx42 in host', 'interface vx42 in host on hostb']) {
      await page.getByLabel(name, { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    }
  });

  it('draws the VXLAN as an edge between both hosts\' vx42, and host b\'s vx7 to a "remote 192.0.2.7" node', async () => {
    const { page } = app;
    await page.getByLabel('remote 192.0.2.7', { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const ids = () => page.locator('.react-flow__edge.edge-tunnel').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? '').sort());
    // Edge ids are `tunnel:A|B`: this machine's vx42 (a plain id) with host b's (prefixed), and host b's vx7 with the address.
    await expect.poll(ids, { timeout: 10_000 }).toEqual([expect.stringMatching(/^tunnel:host:hostb\/ns:\d+\/\d+\|ns:\d+\/\d+$/), expect.stringMatching(/^tunnel:host:hostb\/ns:\d+\/\d+\|192\.0\.2\.7$/)]);
    // test-results/multi-host.png: docs/multi-host.png was taken from it.
    await page.screenshot({ path: join(artifacts, 'multi-host.png') });
  });

  it('the inspector of this machine\'s vx42 goes to host b\'s', async () => {
    const { page } = app;
    await page.getByLabel('interface vx42 in host', { exact: true }).first().click();
    const inspector = page.getByRole('complementary', { name: /inspector/i });
    const tunnel = inspector.getByRole('region', { name: 'Tunnel' });
    await tunnel.getByText('10.77.0.2').first().waitFor({ state: 'visible', timeout: 5_000 });
    await tunnel.getByRole('button', { name: 'go to vx42 on hostb' }).click();
    await expect.poll(async () => (await inspector.getByRole('list', { name: 'far ends' }).textContent()) ?? '', { timeout: 5_000 }).toBe('10.77.0.1 → vx42');
  });
});
