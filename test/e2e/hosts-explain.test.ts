import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSandbox } from '../sandbox.js';
import type { SshHost, SshLab } from '../integration/ssh-lab.js';
import { startVxlanLab } from '../integration/vxlan-lab.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// Explain across hosts from the panel (issue 14): two sshd hosts joined by a VXLAN, a namespace
// behind it on each; the page picks app-a on host a and app-b on host b by name, and its answer
// agrees with a real ping between them.

let app: RunningApp;
let ssh: SshLab;

describe('Explain across two hosts, in the panel', () => {
  beforeAll(async () => {
    await resetSandbox();
    ssh = await startVxlanLab();
    const [a, b] = ssh.hosts as [SshHost, SshHost];
    app = await startApp({ width: 1600, height: 1000 }, { NETLOOM_STATE_DIR: join(ssh.dir, 'state-local') }, ['--ssh-config', ssh.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}`], true);
  });
  afterAll(async () => {
    await app?.stop();
    await ssh?.close();
    await resetSandbox();
  });

  it('names each host’s namespaces apart, explains app-a → app-b through the tunnel, and a real ping agrees', async () => {
    const { page } = app;
    await page.getByLabel('namespace app-b on hostb', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const panel = page.getByRole('complementary', { name: /explain/i });
    await panel.getByLabel('Source namespace').selectOption({ label: 'app-a on hosta' });
    await panel.getByLabel('Destination namespace').selectOption({ label: 'app-b on hostb' });
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    const text = async () => (await panel.textContent()) ?? '';
    await expect.poll(text, { timeout: 15_000 }).toContain('app-a (10.42.0.1) on hosta → app-b (10.42.0.2) on hostb: reaches (through vxlan VNI 42)');
    // Both hosts' hops in order: encapsulated on host a, decapsulated on host b.
    expect((await text()).indexOf('encapsulated by vx42 (VXLAN VNI 42')).toBeLessThan((await text()).indexOf('decapsulated by vx42'));
    expect(await text()).toContain('decapsulated by vx42');
    await page.screenshot({ path: join(artifacts, 'multi-host-explain.png') });
    // The two host groups stand apart (each was laid out when its picture came, not while it connected).
    const box = async (name: string) => (await page.getByLabel(name, { exact: true }).first().boundingBox())!;
    const [ha, hb] = [await box('host hosta'), await box('host hostb')];
    expect(ha.x + ha.width <= hb.x || hb.x + hb.width <= ha.x || ha.y + ha.height <= hb.y || hb.y + hb.height <= ha.y, JSON.stringify({ ha, hb })).toBe(true);
    const a = ssh.hosts[0] as SshHost;
    expect(await a.run(['ip', 'netns', 'exec', 'app-a', 'ping', '-c', '1', '-W', '2', '10.42.0.2'])).toContain('1 received');
  });
});
