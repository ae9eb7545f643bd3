import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox } from '../sandbox.js';
import { bundle, netloom } from './netloom-cli.js';
import { startSshLab, type SshHost, type SshLab } from './ssh-lab.js';

// WireGuard between two hosts over ssh (issue 14 item 3), for real. This machine's kernel has no
// WireGuard module, so each host runs Debian's wireguard-go (userspace WireGuard: a tun device
// that wg(8) configures and reads through /var/run/wireguard/wg0.sock) — the protocol on the wire
// and `wg show all dump` are the same as the kernel's. A ping crosses the tunnel; one canvas of
// both hosts shows wg0 on each as WireGuard with its peer, an edge between the two, and counters on
// both ends. The keys are made here for the test and gone with it.

let lab: SshLab;
let keys: string;
const pub: Record<string, string> = {};
const wgAddr = (i: number) => `10.88.0.${i + 1}`;
/** Each host's namespace app-a / app-b (10.50.1.2, 10.50.2.2) behind it, routed into the tunnel. */
const appNet = (i: number) => `10.50.${i + 1}`;
const appName = (i: number) => (i === 0 ? 'app-a' : 'app-b');

async function wireguardSide(h: SshHost, i: number, peer: SshHost, p: number): Promise<void> {
  const app = appName(i);
  const steps = [
    ['wireguard-go', 'wg0'],
    ['wg', 'set', 'wg0', 'listen-port', '51820', 'private-key', join(keys, `${h.name}.key`), 'peer', pub[peer.name] ?? '', 'endpoint', `${peer.addr}:51820`, 'allowed-ips', `${wgAddr(p)}/32,${appNet(p)}.0/24`],
    ['ip', 'addr', 'add', `${wgAddr(i)}/24`, 'dev', 'wg0'],
    ['ip', 'link', 'set', 'wg0', 'up'],
    ['ip', 'route', 'add', `${appNet(p)}.0/24`, 'dev', 'wg0'],
    ['ip', 'netns', 'add', app],
    ['ip', 'link', 'add', `v${app}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', app],
    ['ip', 'addr', 'add', `${appNet(i)}.1/24`, 'dev', `v${app}`],
    ['ip', 'link', 'set', `v${app}`, 'up'],
    ['ip', '-n', app, 'addr', 'add', `${appNet(i)}.2/24`, 'dev', 'eth0'],
    ['ip', '-n', app, 'link', 'set', 'eth0', 'up'],
    ['ip', '-n', app, 'route', 'add', 'default', 'via', `${appNet(i)}.1`],
    ['sysctl', '-qw', 'net.ipv4.ip_forward=1'],
  ];
  for (const argv of steps) await h.run(argv);
}

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startSshLab(['hosta', 'hostb']);
  keys = mkdtempSync(join(tmpdir(), 'netloom-wg-'));
  const [a, b] = lab.hosts as [SshHost, SshHost];
  for (const h of [a, b]) {
    const key = (await h.run(['wg', 'genkey'])).trim();
    writeFileSync(join(keys, `${h.name}.key`), key + '\n', { mode: 0o600 });
    pub[h.name] = (await h.run(['sh', '-c', `wg pubkey < ${join(keys, `${h.name}.key`)}`])).trim();
  }
  await wireguardSide(a, 0, b, 1);
  await wireguardSide(b, 1, a, 0);
}, 60_000);
afterAll(async () => {
  await lab?.close();
  if (keys) rmSync(keys, { recursive: true, force: true });
  await resetSandbox();
});

const both = (...args: string[]) => {
  const [a, b] = lab.hosts as [SshHost, SshHost];
  return netloom(['--ssh-config', lab.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}`, ...args]);
};
const ping = (h: SshHost, from: string, to: string) => h.run(['ip', 'netns', 'exec', from, 'ping', '-c', '3', '-i', '0.2', '-W', '1', to]).catch(() => 'no reply (ping exited non-zero)');

describe('WireGuard between two hosts (wireguard-go)', () => {
  it('carries a ping; one canvas shows wg0 on both hosts as WireGuard with its peer, an edge between them, counters on both ends', async () => {
    const [a, b] = lab.hosts as [SshHost, SshHost];
    expect(await ping(a, 'app-a', `${appNet(1)}.2`)).toMatch(/3 received/);
    const r = await both('snapshot');
    if (process.env.NETLOOM_WRITE_FIXTURES === '1') writeFileSync(join(__dirname, '../fixtures/wireguard/hosts.snapshot.json'), r.stdout);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const merged = Snapshot.parse(JSON.parse(r.stdout));
    const wg = (host: string) => {
      const i = merged.interfaces.find((x) => x.id.startsWith(`host:${host}/`) && x.name === 'wg0');
      if (!i) throw new Error(`no wg0 on ${host}`);
      return i;
    };
    const [wa, wb] = [wg('hosta'), wg('hostb')];
    expect(wa.tunnel?.type).toBe('wireguard');
    expect(wa.tunnel?.peers).toEqual([{ publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/), endpoint: `${b.addr}:51820`, allowedIps: [`${wgAddr(1)}/32`, `${appNet(1)}.0/24`], latestHandshake: expect.any(Number) }]);
    expect(wb.tunnel?.peers?.[0]?.endpoint).toBe(`${a.addr}:51820`);
    // No private key anywhere in what netloom says.
    for (const h of ['hosta', 'hostb']) expect(r.stdout).not.toContain((await a.run(['cat', join(keys, `${h}.key`)])).trim());
    const edge = merged.tunnels?.find((t) => t.type === 'wireguard' && (t.a === wa.id || t.a === wb.id));
    expect(edge).toBeDefined();
    expect(new Set([edge?.a, edge?.b])).toEqual(new Set([wa.id, wb.id]));
    for (const w of [wa, wb]) {
      expect(w.stats?.txPackets ?? 0).toBeGreaterThanOrEqual(3);
      expect(w.stats?.rxPackets ?? 0).toBeGreaterThanOrEqual(3);
    }
  });

  it('explain across: app-a on hosta → app-b on hostb reaches, encrypted for hostb\'s peer and let in by its allowed IPs', async () => {
    const [, b] = lab.hosts as [SshHost, SshHost];
    const r = await both('explain', 'app-a@hosta', 'app-b@hostb', '--json');
    expect(r.stderr).toBe('');
    const why = JSON.parse(r.stdout) as { verdict: string; request: { text: string }[] };
    expect(why.verdict).toBe('reaches');
    const texts = why.request.map((h) => h.text);
    expect(texts).toContainEqual(`encrypted by wg0 (WireGuard) for peer ${(pub.hostb ?? '').slice(0, 8)}…, sent to ${b.addr}:51820 (${b.addr}): ${appNet(1)}.2 is in its allowed IPs`);
    expect(texts).toContainEqual(`decrypted by wg0 (WireGuard) from peer ${(pub.hosta ?? '').slice(0, 8)}…: ${appNet(0)}.2 is in its allowed IPs`);
  });

  it('hostb\'s peer no longer allows app-a\'s network: the real ping fails, and Explain says WireGuard drops it on arrival', async () => {
    const [a, b] = lab.hosts as [SshHost, SshHost];
    await b.run(['wg', 'set', 'wg0', 'peer', pub.hosta ?? '', 'allowed-ips', `${wgAddr(0)}/32`]);
    try {
      expect(await ping(a, 'app-a', `${appNet(1)}.2`)).toBe('no reply (ping exited non-zero)');
      const r = await both('explain', 'app-a@hosta', 'app-b@hostb', '--json');
      expect(r.code).toBe(3);
      const why = JSON.parse(r.stdout) as { verdict: string; request: { text: string; verdict: string }[] };
      expect(why.verdict).toBe('blocked');
      expect(why.request.find((h) => h.verdict === 'drop')?.text).toBe(`WireGuard drops it on arrival: ${appNet(0)}.2 is in no peer's allowed IPs on wg0 (they allow ${wgAddr(0)}/32)`);
    } finally {
      await b.run(['wg', 'set', 'wg0', 'peer', pub.hosta ?? '', 'allowed-ips', `${wgAddr(0)}/32,${appNet(0)}.0/24`]);
    }
  });
});
