import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSandbox } from '../sandbox.js';
import { ASKER, ASKER_PASSWORD, startSshLab, SUDOER, type SshHost, type SshLab } from '../integration/ssh-lab.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// "Add host…" (issue 14): `netloom serve` started with no --host; host a added from the page,
// a bad destination refused on its field, a user sudo asks a password of, and hosts removed.

let app: RunningApp;
let ssh: SshLab;
let a: SshHost;
const staged = (): string[] => readdirSync('/tmp').filter((f) => f.startsWith('netloom.') || f.startsWith('netloom-root.'));
const hostGroups = () => app.page.locator('.react-flow__node-host').count();

async function openAddHost(): Promise<void> {
  await app.page.locator('.react-flow').click({ position: { x: 5, y: 5 } });
  await app.page.keyboard.press('a');
  await app.page.getByRole('dialog', { name: 'Add host' }).waitFor({ state: 'visible', timeout: 5_000 });
}

async function addHost(destination: string, name: string): Promise<void> {
  await openAddHost();
  const dialog = app.page.getByRole('dialog', { name: 'Add host' });
  await dialog.getByLabel('Destination').fill(destination);
  await dialog.getByLabel('Name on the canvas (optional)').fill(name);
  await dialog.getByRole('button', { name: 'Add host' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
}

describe('adding hosts from the page', () => {
  beforeAll(async () => {
    await resetSandbox();
    ssh = await startSshLab(['hosta']);
    a = ssh.hosts[0] as SshHost;
    await a.run(['ip', 'netns', 'add', 'only-on-a']);
    app = await startApp({ width: 1440, height: 900 }, { NETLOOM_STATE_DIR: join(ssh.dir, 'state-local') }, ['--ssh-config', ssh.config], true);
    await app.page.getByLabel('namespace host', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
  });
  afterAll(async () => {
    await app?.stop();
    await ssh?.close();
    await resetSandbox();
  });

  it('the help lists the shortcut; a bad destination or port is refused on its field and nothing changes', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'keyboard shortcuts' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'keyboard shortcuts' }).textContent()).toContain('add a host over ssh');
    await page.getByRole('button', { name: 'keyboard shortcuts' }).click();
    expect(await hostGroups()).toBe(0);
    await openAddHost();
    const dialog = page.getByRole('dialog', { name: 'Add host' });
    const destination = dialog.getByLabel('Destination');
    await destination.fill('-oProxyCommand=touch /tmp/x');
    await dialog.getByRole('button', { name: 'Add host' }).click();
    await expect.poll(() => destination.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/is not a host name or address/);
    await destination.fill('root@10.77.0.2:70000');
    await dialog.getByRole('button', { name: 'Add host' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('port 70000 is not a TCP port (1–65535)');
    await dialog.getByLabel('Name on the canvas (optional)').fill('local');
    await destination.fill('root@10.77.0.2');
    await dialog.getByRole('button', { name: 'Add host' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/"local" is already on the canvas/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await hostGroups()).toBe(0);
  });

  it('adds host a: its group appears connecting, then live with its namespaces', async () => {
    const { page } = app;
    const before = staged();
    await openAddHost();
    const dialog = page.getByRole('dialog', { name: 'Add host' });
    await dialog.getByLabel('Destination').fill(`${SUDOER}@${a.addr}`);
    await dialog.getByLabel('Name on the canvas (optional)').fill('hosta');
    // test-results/add-host.png: docs/add-host.png was taken from it.
    await page.screenshot({ path: join(artifacts, 'add-host.png') });
    await dialog.getByRole('button', { name: 'Add host' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    await page.getByLabel('host hosta', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    for (const name of ['host local', 'namespace host on hosta', 'namespace only-on-a on hosta']) await page.getByLabel(name, { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    // Remembered for a reload: where to reach it, no password.
    expect(await page.evaluate(() => localStorage.getItem('netloom.hosts.v1'))).toBe(JSON.stringify([{ destination: `${SUDOER}@${a.addr}`, name: 'hosta' }]));
    const ours = staged().filter((f) => !before.includes(f));
    expect(ours.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'remove host hosta' }).click();
    await expect.poll(hostGroups, { timeout: 10_000 }).toBe(0);
    expect(await page.getByLabel('namespace only-on-a on hosta', { exact: true }).count()).toBe(0);
    // Its ssh session ended and the remote helper removed its copies.
    await expect.poll(() => staged().filter((f) => ours.includes(f)), { timeout: 10_000 }).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('netloom.hosts.v1'))).toBe('[]');
  });

  it('a user sudo asks a password of: asked, a wrong one said so and asked again, the right one → live', async () => {
    const { page } = app;
    await addHost(`${ASKER}@${a.addr}`, 'hostc');
    const prompt = page.getByRole('dialog', { name: 'sudo password for hostc' });
    await prompt.waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByLabel('host hostc, needs the sudo password', { exact: false }).first().waitFor({ state: 'visible', timeout: 5_000 });
    expect(await prompt.getByLabel('Password').getAttribute('type')).toBe('password');
    await prompt.getByLabel('Password').fill('not-the-password');
    await prompt.getByRole('button', { name: 'Send to sudo' }).click();
    await expect.poll(async () => (await prompt.isVisible()) ? ((await prompt.getByRole('alert').first().textContent().catch(() => '')) ?? '') : '', { timeout: 30_000 }).toMatch(/did not take the password/);
    expect(await prompt.getByLabel('Password').inputValue()).toBe('');
    // test-results/sudo-password.png: docs/sudo-password.png was taken from it.
    await page.screenshot({ path: join(artifacts, 'sudo-password.png') });
    await prompt.getByLabel('Password').fill(ASKER_PASSWORD);
    await prompt.getByRole('button', { name: 'Send to sudo' }).click();
    await page.getByLabel('host hostc', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.getByLabel('namespace only-on-a on hostc', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.evaluate(() => localStorage.getItem('netloom.hosts.v1'))).not.toContain(ASKER_PASSWORD);
    expect(app.problems).toEqual([]);
  });

  it('cancel leaves the host failed: "sudo wants a password", with what to change', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'remove host hostc' }).click();
    await expect.poll(hostGroups, { timeout: 10_000 }).toBe(0);
    await addHost(`${ASKER}@${a.addr}`, 'hostd');
    const prompt = page.getByRole('dialog', { name: 'sudo password for hostd' });
    await prompt.waitFor({ state: 'visible', timeout: 30_000 });
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    const failed = page.getByLabel(/^host hostd, failed: sudo on .* wants a password/).first();
    await failed.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await failed.getAttribute('aria-label')).toMatch(/NOPASSWD/);
    await page.getByRole('button', { name: 'remove host hostd' }).click();
    await expect.poll(hostGroups, { timeout: 10_000 }).toBe(0);
  });

  it('after a reload the host is still there; one the server lacks is added again from the page\'s storage', async () => {
    const { page } = app;
    await addHost(`${SUDOER}@${a.addr}`, 'hoste');
    await page.getByLabel('host hoste', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.reload();
    await page.getByLabel('host hoste', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // As after a restarted serve: the server no longer has it, the page's storage still does.
    const kept = await page.evaluate(() => localStorage.getItem('netloom.hosts.v1'));
    await page.getByRole('button', { name: 'remove host hoste' }).click();
    await expect.poll(hostGroups, { timeout: 10_000 }).toBe(0);
    await page.evaluate((v) => localStorage.setItem('netloom.hosts.v1', v ?? '[]'), kept);
    await page.reload();
    await page.getByLabel('host hoste', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByRole('button', { name: 'remove host hoste' }).click();
    await expect.poll(hostGroups, { timeout: 10_000 }).toBe(0);
  });
});
