import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox, sh } from '../sandbox.js';
import { hostId, ifc, nsNamed, startWatchedHelper } from './watched-helper.js';
import type { WatchedHelper } from './watched-helper.js';

// The built `netloom helper --stdio`, watched over the real protocol while the sandbox's
// networking changes: every change must arrive as a patch, promptly. The latency goal (p95 < 300 ms)
// is bench/live's; the 2.5 s allowed here only keeps a loaded machine (a CI run saw 1 047 ms for one
// change while a benchmark ran beside it) from failing a test that is about every change arriving.

let w: WatchedHelper;
let helper: ChildProcessWithoutNullStreams;

/** Runs one command and waits for the patch that shows its effect; returns ms from just before the command. */
async function change(argv: string[], ok: (s: Snapshot) => boolean, limit = 2500): Promise<number> {
  const t0 = performance.now();
  await sh(argv);
  return await w.until(ok, { t0, limit });
}

const ns = nsNamed;

function childPids(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  return readdirSync(tasks).flatMap((t) =>
    readFileSync(`${tasks}/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}

// Both ways the helper can watch: netloom-nsread (one process for every namespace) and, where it
// was not built, an `ip monitor` per namespace (NETLOOM_NSREAD=off).
for (const reader of ['netloom-nsread', 'ip'] as const) {
  describe(`topology.watch over netloom helper --stdio (${reader})`, () => {
    beforeAll(async () => {
      await resetSandbox();
      w = await startWatchedHelper(reader === 'ip' ? { NETLOOM_NSREAD: 'off' } : {});
      helper = w.helper;
    });

    afterAll(async () => {
      if (helper.exitCode === null) helper.kill('SIGKILL');
      await resetSandbox();
    });

    it('sends a patch for each change, promptly', async () => {
      // No pid namespace in the sandbox: the machine's process namespaces show too (read only).
      expect(w.view()?.namespaces.map((n) => n.id)).toContain(hostId());
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
      for (const { patch } of w.patches) expect(Object.keys(patch).length).toBeGreaterThan(1);
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
      // Every change arrived (change() waits at most 2.5 s for each). The latency goal (p95 < 300 ms)
      // is bench/live's, measured against a peer: a timed assertion here only measured the machine's load.
      expect(ms).toHaveLength(30);
    }, 60_000);

    it('exits when stdin closes and leaves no monitor behind', async () => {
      const kids = childPids(helper.pid!);
      expect(kids.length).toBeGreaterThan(0);
      const commands = kids.map((pid) => (existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ') : ''));
      expect(commands.some((c) => (reader === 'ip' ? c.includes('monitor link address route') : c.includes('netloom-nsread --monitor'))), commands.join('; ')).toBe(true);
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
}
