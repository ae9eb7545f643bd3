import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSandbox, sh } from '../sandbox.js';
import { startSshLab, type SshHost, type SshLab } from '../integration/ssh-lab.js';
import { until } from '../until.js';
import { artifacts, startApp } from './app.js';
import type { RunningApp } from './app.js';

// WireGuard between this machine and host b on one canvas (issue 14), in browser mode: userspace
// WireGuard (Debian's wireguard-go; this kernel has no module) on both ends over the ssh lab's
// bridge, a ping across; the canvas draws the tunnel edge and the inspector lists the peer.

let app: RunningApp;
let ssh: SshLab;
let keys: string;
let localWg: ChildProcess | null = null;

async function key(name: string): Promise<string> {
  const key = (await sh(['wg', 'genkey'])).trim() + '\n';
  writeFileSync(join(keys, `${name}.key`), key, { mode: 0o600 });
  return (await sh(['wg', 'pubkey'], key)).trim();
}

describe('WireGuard between two hosts, in browser mode', () => {
  beforeAll(async () => {
    await resetSandbox();
    ssh = await startSshLab(['hostb']);
    keys = mkdtempSync(join(tmpdir(), 'netloom-wg-'));
    const b = ssh.hosts[0] as SshHost;
    const [pubLocal, pubB] = [await key('local'), await key('hostb')];
    localWg = spawn('wireguard-go', ['-f', 'wg0'], { stdio: 'ignore' });
    await until(() => existsSync('/var/run/wireguard/wg0.sock'), 5_000);
    for (const step of [
      ['wg', 'set', 'wg0', 'listen-port', '51820', 'private-key', join(keys, 'local.key'), 'peer', pubB, 'endpoint', `${b.addr}:51820`, 'allowed-ips', '10.88.0.2/32'],
      ['ip', 'addr', 'add', '10.88.0.1/24', 'dev', 'wg0'],
      ['ip', 'link', 'set', 'wg0', 'up'],
    ]) await sh(step);
    for (const step of [
      ['wireguard-go', 'wg0'],
      ['wg', 'set', 'wg0', 'listen-port', '51820', 'private-key', join(keys, 'hostb.key'), 'peer', pubLocal, 'endpoint', '10.77.0.1:51820', 'allowed-ips', '10.88.0.1/32'],
      ['ip', 'addr', 'add', '10.88.0.2/24', 'dev', 'wg0'],
      ['ip', 'link', 'set', 'wg0', 'up'],
    ]) await b.run(step);
    expect(await sh(['ping', '-c', '2', '-i', '0.2', '-W', '2', '10.88.0.2'])).toMatch(/2 received/);
    app = await startApp({ width: 1440, height: 900 }, { NETLOOM_STATE_DIR: join(ssh.dir, 'state-local') }, ['--ssh-config', ssh.config, '--host', `hostb=root@${b.addr}`], true);
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await ssh?.close();
    if (localWg?.pid !== undefined && localWg.exitCode === null) localWg.kill('SIGTERM');
    if (keys) rmSync(keys, { recursive: true, force: true });
    await resetSandbox();
  });

  it('draws the tunnel between both wg0; the inspector lists the peer, its endpoint and allowed IPs, and goes to the far end', async () => {
    const { page } = app;
    await page.getByLabel('host hostb', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    const ids = () => page.locator('.react-flow__edge.edge-tunnel').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
    await expect.poll(ids, { timeout: 15_000 }).toEqual([expect.stringMatching(/^tunnel:(host:hostb\/ns:\d+\/\d+\|ns:\d+\/\d+|ns:\d+\/\d+\|host:hostb\/ns:\d+\/\d+)$/)]);
    await page.getByLabel('interface wg0 in host', { exact: true }).first().click();
    const inspector = page.getByRole('complementary', { name: /inspector/i });
    const peers = inspector.getByRole('list', { name: 'wireguard peers' });
    await expect.poll(async () => (await peers.textContent()) ?? '', { timeout: 5_000 }).toMatch(/at 10\.77\.0\.2:51820 · allowed 10\.88\.0\.2\/32 · handshake \d+ s ago/);
    // test-results/wireguard.png: docs/wireguard.png was taken from it.
    await page.screenshot({ path: join(artifacts, 'wireguard.png') });
    await inspector.getByRole('region', { name: 'Tunnel' }).getByRole('button', { name: 'go to wg0 on hostb' }).click();
    await expect.poll(async () => (await inspector.getByRole('list', { name: 'wireguard peers' }).textContent()) ?? '', { timeout: 5_000 }).toMatch(/at 10\.77\.0\.1:51820 · allowed 10\.88\.0\.1\/32/);
  });
});
