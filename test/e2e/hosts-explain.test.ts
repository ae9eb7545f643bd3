import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSandbox } from '../sandbox.js';
import type { SshHost, SshLab } from '../integration/ssh-lab.js';
import { startVxlanLab } from '../integration/vxlan-lab.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// Explain across hosts from the panel (issue 14): two sshd hosts joined by a VXLAN, a namespace
// behind it on each; the page picks app-a on host a and app-b on host b by name, and its answer
// agrees with a real ping between them. Then "Check for real" across them: the probe is sent on
// host a and observed on host b; after a DROP on host b the traced probe names host b's rule.

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

  /** The Explain panel, asked from app-a on hosta to app-b on hostb. */
  async function explainAtoB() {
    const { page } = app;
    await page.getByLabel('namespace app-b on hostb', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const panel = page.getByRole('complementary', { name: /explain/i });
    if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Explain', exact: true }).click();
    await panel.getByLabel('Source namespace').selectOption({ label: 'app-a on hosta' });
    await panel.getByLabel('Destination namespace').selectOption({ label: 'app-b on hostb' });
    await panel.getByRole('button', { name: 'Explain', exact: true }).click();
    return panel;
  }

  it('names each host’s namespaces apart, explains app-a → app-b through the tunnel, and a real ping agrees', async () => {
    const { page } = app;
    const panel = await explainAtoB();
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

  it('reaches, host b saw it arrive; after a DROP on host b the traced probe names host b\'s rule', async () => {
    const { page } = app;
    const panel = await explainAtoB();
    const verdict = panel.getByRole('status', { name: 'verdict' });
    await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toMatch(/reaches/i);
    await panel.getByRole('button', { name: 'Check for real' }).click();
    const result = panel.getByRole('status', { name: 'probe result' });
    await result.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await result.textContent()).toMatch(/reached.*hostb saw the request reach the destination \(3 packet\(s\)\) and the reply leave/);
    expect(await result.textContent()).toContain('Agrees with the prediction.');

    const b = ssh.hosts[1] as SshHost;
    await b.run(['ip', 'netns', 'exec', 'app-b', 'iptables', '-A', 'INPUT', '-s', '10.42.0.1', '-j', 'DROP']);
    // The live picture holds host b's rule once the explanation says blocked.
    await expect
      .poll(async () => {
        await panel.getByRole('button', { name: 'Explain', exact: true }).click();
        return await verdict.textContent();
      }, { timeout: 30_000, interval: 1000 })
      .toMatch(/blocked/i);
    await panel.getByRole('checkbox', { name: 'trace it' }).check();
    await panel.getByRole('button', { name: 'Check for real' }).click();
    await result.waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 30_000 }).toContain('did not reach');
    expect(await result.textContent()).toContain('hostb dropped it');
    const real = panel.getByRole('note', { name: 'decided for real' });
    // Host b's rule, the one its half of the prediction names, with the host it is on.
    expect(await real.textContent()).toBe('Decided for real by -A INPUT -s 10.42.0.1/32 -j DROP (filter, app-b on hostb) — the rule the prediction names.');
    await page.screenshot({ path: join(artifacts, 'multi-host-probe.png') });
  });
});
