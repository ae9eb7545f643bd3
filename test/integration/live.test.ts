import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperClient } from '../../protocol/src/client.js';
import type { Transport } from '../../protocol/src/client.js';
import { applyPatch } from '../../protocol/src/patch.js';
import type { TopologyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { assertInSandbox, resetSandbox, sh } from '../sandbox.js';

// The built `netloom helper --stdio`, watched over the real protocol while the sandbox's
// networking changes: every change must arrive as a patch within a second.

const root = join(__dirname, '..', '..');
const bundle = join(root, 'out/helper/netloom.cjs');
const hostId = (): string => `ns:${/\d+/.exec(readlinkSync('/proc/self/ns/net'))![0]}`;

let helper: ChildProcessWithoutNullStreams;
let client: HelperClient;
let view: Snapshot | null = null;
const patches: { at: number; patch: TopologyPatch }[] = [];
const waiters = new Set<() => boolean>();

function stdioTransport(child: ChildProcessWithoutNullStreams): Transport {
  return {
    send: (t) => void child.stdin.write(t),
    onText: (cb) => void child.stdout.on('data', (d: Buffer) => cb(d.toString('utf8'))),
    onClose: (cb) => void child.on('exit', (code) => cb(`exit ${code}`)),
    close: () => child.stdin.end(),
  };
}

/** Resolves with ms elapsed since `t0` once the applied view satisfies `ok`; rejects after `limit` ms. */
function until(ok: (s: Snapshot) => boolean, t0: number, limit = 1000): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      if (view && ok(view)) {
        waiters.delete(check);
        clearTimeout(timer);
        resolve(performance.now() - t0);
        return true;
      }
      return false;
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`no matching patch within ${limit} ms`));
    }, limit);
    if (!check()) waiters.add(check);
  });
}

/** Runs one command and waits for the patch that shows its effect; returns ms from just before the command. */
async function change(argv: string[], ok: (s: Snapshot) => boolean, limit = 1000): Promise<number> {
  const t0 = performance.now();
  await sh(argv);
  return await until(ok, t0, limit);
}

const ns = (s: Snapshot, name: string) => s.namespaces.find((n) => n.name === name);
const ifc = (s: Snapshot, nsId: string | undefined, name: string) => s.interfaces.find((i) => i.ns === nsId && i.name === name);

function childPids(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  return readdirSync(tasks).flatMap((t) =>
    readFileSync(`${tasks}/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--helper-only'], { stdio: 'ignore' });
  helper = spawn(process.execPath, [bundle, 'helper', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  helper.stderr.on('data', (d: Buffer) => process.stderr.write(`[helper] ${d}`));
  client = new HelperClient(stdioTransport(helper));
  await client.ready;
  await new Promise<void>((resolve, reject) => {
    client.watch(
      'topology.watch',
      {},
      (data) => {
        if ('snapshot' in data) {
          view = data.snapshot;
          resolve();
        } else if (view) {
          patches.push({ at: performance.now(), patch: data.patch });
          view = applyPatch(view, data.patch);
        }
        for (const w of [...waiters]) w();
      },
      (end) => reject(new Error(`stream ended: ${JSON.stringify(end)}`)),
    );
  });
});

afterAll(async () => {
  if (helper.exitCode === null) helper.kill('SIGKILL');
  await resetSandbox();
});

describe('topology.watch over netloom helper --stdio', () => {
  it('sends a patch for each change, each within a second', async () => {
    // No pid namespace in the sandbox: the machine's process namespaces show too (read only).
    expect(view?.namespaces.map((n) => n.id)).toContain(hostId());
    await change(['ip', 'netns', 'add', 'x'], (s) => ns(s, 'x') !== undefined);
    await change(['ip', 'link', 'add', 'v1', 'type', 'veth', 'peer', 'name', 'v2'], (s) => !!ifc(s, hostId(), 'v1') && !!ifc(s, hostId(), 'v2'));
    await change(['ip', 'addr', 'add', '10.9.0.1/24', 'dev', 'v1'], (s) => ifc(s, hostId(), 'v1')?.addresses.includes('10.9.0.1/24') === true);
    await change(['ip', 'link', 'set', 'v2', 'netns', 'x'], (s) => {
      const v2 = ifc(s, ns(s, 'x')?.id, 'v2');
      return !!v2 && !ifc(s, hostId(), 'v2') && v2.peer === ifc(s, hostId(), 'v1')?.id;
    });
    await change(['ip', '-n', 'x', 'link', 'set', 'v2', 'up'], (s) => ifc(s, ns(s, 'x')?.id, 'v2')?.up === true);
    await change(['ip', 'link', 'del', 'v1'], (s) => !ifc(s, hostId(), 'v1') && !ifc(s, ns(s, 'x')?.id, 'v2'));
    await change(['ip', 'netns', 'del', 'x'], (s) => ns(s, 'x') === undefined);
    // Every patch is a real change: more than its takenAt.
    for (const { patch } of patches) expect(Object.keys(patch).length).toBeGreaterThan(1);
  });

  it('notices an iptables change through the periodic rules check', async () => {
    const rule = ['iptables', '-A', 'FORWARD', '-s', '10.77.0.0/16', '-j', 'ACCEPT'];
    await change(rule, (s) => s.rules.some((r) => r.ns === hostId() && r.spec.includes('10.77.0.0/16')), 7000);
  });

  it('measures ip link add → patch latency', async () => {
    const ms: number[] = [];
    for (let i = 0; i < 30; i++) {
      const name = `lat${i}`;
      ms.push(await change(['ip', 'link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`], (s) => !!ifc(s, hostId(), name)));
      await change(['ip', 'link', 'del', name], (s) => !ifc(s, hostId(), name));
    }
    ms.sort((a, b) => a - b);
    const p = (q: number): number => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
    console.log(`ip link add → patch: n=${ms.length} p50=${p(0.5).toFixed(1)} ms p95=${p(0.95).toFixed(1)} ms max=${ms.at(-1)!.toFixed(1)} ms`);
    expect(p(0.95)).toBeLessThan(300);
  });

  it('exits when stdin closes and leaves no ip monitor behind', async () => {
    const kids = childPids(helper.pid!);
    expect(kids.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((r) => helper.once('exit', (code) => r(code)));
    helper.stdin.end();
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    // Dead is enough: an orphan is reparented to PID 1 and may sit as a zombie until init reaps it.
    for (const pid of kids) {
      const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : 'State:\tgone';
      const state = /State:\s+(\S+)/.exec(status)?.[1];
      expect(['gone', 'Z'], `child ${pid} state`).toContain(state);
    }
  });
});
