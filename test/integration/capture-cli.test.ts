import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertInSandbox, lab, resetSandbox, sh } from '../sandbox.js';
import { tcpdumpPids } from './capture-lab.js';
import { until as waitUntil } from '../until.js';

// The built `netloom capture` (DESIGN §9): a line per packet, -w FILE readable by tcpdump -r,
// exits by itself after -c N, Ctrl+C (SIGINT) stops cleanly, a bad filter exits 2 at once.

const root = join(__dirname, '..', '..');
const bundle = join(root, 'out/helper/netloom.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'netloom-capture-cli-'));

function netloom(args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; kill: (s: NodeJS.Signals) => void; stderr: () => string } {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  return { done, kill: (s) => child.kill(s), stderr: () => stderr };
}

beforeAll(async () => {
  assertInSandbox();
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  await lab(`
    ip netns add la
    ip netns add lb
    ip link add la0 type veth peer name lb0
    ip link set la0 netns la
    ip link set lb0 netns lb
    ip -n la addr add 10.64.0.1/24 dev la0
    ip -n lb addr add 10.64.0.2/24 dev lb0
    ip -n la link set la0 up
    ip -n lb link set lb0 up
  `);
});

afterEach(() => {
  expect(tcpdumpPids()).toEqual([]);
});

afterAll(async () => {
  await resetSandbox();
});

describe('netloom capture', () => {
  it('prints one line per packet, writes -w, exits by itself after -c N', async () => {
    const file = join(tmp, 'ping.pcap');
    const p = netloom(['capture', '--ns', 'lb', '-i', 'lb0', '-c', '4', '-w', file, 'icmp']);
    await until(() => p.stderr().includes('capturing on'));
    await sh(['ip', 'netns', 'exec', 'la', 'ping', '-c', '2', '-i', '0.2', '-W', '1', '10.64.0.2']);
    const r = await p.done;
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} ICMP 10\.64\.0\.1 > 10\.64\.0\.2: echo request, id \d+, seq 1, length 64 \(98 bytes\)$/);
    expect(lines[3]).toMatch(/ICMP 10\.64\.0\.2 > 10\.64\.0\.1: echo reply, id \d+, seq 2/);
    expect(r.stderr).toMatch(/4 packets captured, 0 dropped by kernel, 0 dropped by netloom \(count/);
    expect((await sh(['tcpdump', '-nr', file])).trim().split('\n')).toHaveLength(4);
  });

  it('Ctrl+C stops it cleanly (exit 0, tcpdump gone)', async () => {
    const p = netloom(['capture', '--ns', 'lb', '-i', 'lb0']);
    await until(() => p.stderr().includes('capturing on'));
    expect(tcpdumpPids()).toHaveLength(1);
    p.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\(stopped: /);
  });

  it('a bad filter or namespace is an error at once', async () => {
    const t0 = Date.now();
    const r = await netloom(['capture', '--ns', 'lb', '-i', 'lb0', 'tcp', 'port', 'bogus']).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/netloom capture: filter: /);
    expect(Date.now() - t0).toBeLessThan(2000);
    const n = await netloom(['capture', '--ns', 'nope', '-i', 'lb0']).done;
    expect(n.code).toBe(1);
    expect(n.stderr).toMatch(/no network namespace "nope"/);
    const u = await netloom(['capture', '-i', 'lb0']).done;
    expect(u.code).toBe(2);
  });

  it('the named namespace deleted under it ends namespace-gone', async () => {
    await lab(`
      ip netns add lz
      ip -n lz link set lo up
    `);
    const p = netloom(['capture', '--ns', 'lz', '-i', 'lo']);
    await until(() => p.stderr().includes('capturing on'));
    await sh(['ip', 'netns', 'delete', 'lz']);
    const r = await p.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(namespace-gone: namespace lz no longer exists/);
  });
});

const until = (ok: () => boolean, ms = 5000): Promise<void> => waitUntil(ok, ms);
