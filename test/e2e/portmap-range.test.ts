import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab, resetSandbox, sh } from '../sandbox.js';
import { artifacts, root, startApp } from './app.js';
import type { RunningApp } from './app.js';

// A web namespace behind a bridge, serving on port 8005; netloom maps host ports 9000-9010 onto
// its 8000-8010 (`--to-destination 10.0.0.2:8000-8010/9000`): the mapping whose Edit and Delete
// used to be disabled, because its rule id was read back from that text with a regex.
const LAB = `
ip link add up0 type veth peer name up0p
ip link set up0p up
ip addr add 192.0.2.1/24 dev up0
ip link set up0 up
ip link add br0 type bridge
ip addr add 10.0.0.1/24 dev br0
ip link set br0 up
ip netns add web
ip link add veth-web type veth peer name eth0 netns web
ip link set veth-web master br0
ip link set veth-web up
ip -n web addr add 10.0.0.2/24 dev eth0
ip -n web link set eth0 up
ip -n web link set lo up
ip -n web route add default via 10.0.0.1
sysctl -q -w net.ipv4.ip_forward=1
`;
const PAGE = 'hello from port 8005';
const NAME = 'tcp 0.0.0.0:9000-9010 → 10.0.0.2:8000';

let app: RunningApp;
let httpd: ChildProcess | undefined;
let stateDir = '';
let siteDir = '';
const curl = () => sh(['curl', '-sS', '--max-time', '3', 'http://192.0.2.1:9005/']);

describe('a port range netloom mapped can be deleted from the editor (its id comes with the snapshot)', () => {
  beforeAll(async () => {
    await resetSandbox();
    await lab(LAB);
    siteDir = mkdtempSync(join(tmpdir(), 'netloom-site-'));
    writeFileSync(join(siteDir, 'index.html'), `${PAGE}\n`);
    httpd = spawn('ip', ['netns', 'exec', 'web', '/bin/busybox', 'httpd', '-f', '-p', '8005', '-h', siteDir], { stdio: 'ignore' });
    stateDir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
    const intents = JSON.stringify({ intents: [{ op: 'portmap.add', proto: 'tcp', hostPort: 9000, hostPortEnd: 9010, targetIp: '10.0.0.2', targetPort: 8000 }] });
    await sh(['env', `NETLOOM_STATE_DIR=${stateDir}`, process.execPath, join(root, 'out/helper/netloom.cjs'), 'apply', '-'], intents);
    app = await startApp({ width: 1440, height: 900 }, { NETLOOM_STATE_DIR: stateDir });
  });
  afterAll(async () => {
    await app?.stop();
    if (httpd?.pid !== undefined && httpd.exitCode === null) httpd.kill('SIGTERM');
    await resetSandbox();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  });

  it('the range answers: host port 9005 reaches the web namespace\'s 8005', async () => {
    await expect.poll(() => curl().catch((e: Error) => e.message), { timeout: 5_000 }).toContain(PAGE);
  });

  it('Edit and Delete are enabled; Delete queues rule.remove, Apply removes it, and the port stops answering', async () => {
    const { page } = app;
    await page.getByLabel('namespace web', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByRole('button', { name: /^Port mappings/ }).click();
    const editor = page.getByRole('complementary', { name: 'port mappings' });
    const del = editor.getByRole('button', { name: `delete ${NAME}` });
    await del.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await editor.getByRole('button', { name: `edit ${NAME}` }).isEnabled()).toBe(true);
    expect(await del.isEnabled()).toBe(true);
    await page.screenshot({ path: join(artifacts, 'portmap-range.png') });
    await del.click();
    const pending = page.getByRole('complementary', { name: 'pending changes' });
    await pending.getByLabel('command 1', { exact: true }).waitFor({ state: 'visible', timeout: 10_000 });
    expect((await pending.locator('pre').allTextContents()).join('\n')).toContain('--to-destination 10.0.0.2:8000-8010/9000');
    await pending.getByRole('button', { name: /^Apply \d+ steps?$/ }).click();
    await page.getByRole('status', { name: 'result' }).getByText(/^Applied \d+ steps? in \d+ ms\.$/).waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => curl().then(() => 'answered', () => 'refused'), { timeout: 5_000 }).toBe('refused');
    expect(await sh(['iptables-save', '-t', 'nat'])).not.toContain('9000:9010');
  });
});
