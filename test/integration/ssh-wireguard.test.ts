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
const wgAddr = (i: number) => `10.88.0.${i + 1}`;

async function wireguardSide(h: SshHost, i: number, peerPublic: string, peerAddr: string, peerIndex: number): Promise<void> {
  await h.run(['wireguard-go', 'wg0']);
  await h.run(['wg', 'set', 'wg0', 'listen-port', '51820', 'private-key', join(keys, `${h.name}.key`), 'peer', peerPublic, 'endpoint', `${peerAddr}:51820`, 'allowed-ips', `${wgAddr(peerIndex)}/32`]);
  await h.run(['ip', 'addr', 'add', `${wgAddr(i)}/24`, 'dev', 'wg0']);
  await h.run(['ip', 'link', 'set', 'wg0', 'up']);
}

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startSshLab(['hosta', 'hostb']);
  keys = mkdtempSync(join(tmpdir(), 'netloom-wg-'));
  const [a, b] = lab.hosts as [SshHost, SshHost];
  const pub: Record<string, string> = {};
  for (const h of [a, b]) {
    const key = (await h.run(['wg', 'genkey'])).trim();
    writeFileSync(join(keys, `${h.name}.key`), key + '\n', { mode: 0o600 });
    pub[h.name] = (await h.run(['sh', '-c', `wg pubkey < ${join(keys, `${h.name}.key`)}`])).trim();
  }
  await wireguardSide(a, 0, pub.hostb ?? '', b.addr, 1);
  await wireguardSide(b, 1, pub.hosta ?? '', a.addr, 0);
}, 60_000);
afterAll(async () => {
  await lab?.close();
  if (keys) rmSync(keys, { recursive: true, force: true });
  await resetSandbox();
});

describe('WireGuard between two hosts (wireguard-go)', () => {
  it('carries a ping; one canvas shows wg0 on both hosts as WireGuard with its peer, an edge between them, counters on both ends', async () => {
    const [a, b] = lab.hosts as [SshHost, SshHost];
    const ping = await a.run(['ping', '-c', '3', '-i', '0.2', '-W', '2', wgAddr(1)]);
    expect(ping).toMatch(/3 received/);
    const r = await netloom(['--ssh-config', lab.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}`, 'snapshot']);
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
    expect(wa.tunnel?.peers).toEqual([{ publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/), endpoint: `${b.addr}:51820`, allowedIps: [`${wgAddr(1)}/32`], latestHandshake: expect.any(Number) }]);
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
});
