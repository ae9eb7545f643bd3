import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot, exportScript } from '../../protocol/src/index.js';
import type { Intent } from '../../protocol/src/index.js';
import { takeSnapshot } from '../../helper/discover/topology-cache.js';
import { systemExec } from '../../helper/exec.js';
import { Journal } from '../../helper/intents/journal.js';
import { applyIntents } from '../../helper/intents/run-intents.js';
import { assertInSandbox, resetSandbox } from '../sandbox.js';
import { networkView } from './export-script-compare.js';

// File ▸ Export as shell script (issue 6): a lab made through netloom's own plan.apply, exported,
// run in a FRESH sandbox (a nested scripts/sandbox.mjs: its own network namespace and /run), and
// the rebuilt network's snapshot compared with the original by name.

const execFileP = promisify(execFile);
const LAB: Intent[] = [
  { op: 'bridge.create', name: 'labbr0' },
  { op: 'addr.add', dev: 'labbr0', cidr: '10.0.0.1/24' },
  { op: 'link.set', name: 'labbr0', up: true },
  { op: 'netns.create', name: 'ns1' },
  { op: 'netns.create', name: 'ns2' },
  { op: 'veth.create', a: { name: 'veth1', ns: 'ns1' }, b: { name: 'veth1-br' } },
  { op: 'veth.create', a: { name: 'veth2', ns: 'ns2' }, b: { name: 'veth2-br' } },
  // Both ends named eth0, each in its own namespace: the script must never meet them in one.
  { op: 'veth.create', a: { name: 'eth0', ns: 'ns1' }, b: { name: 'eth0', ns: 'ns2' } },
  { op: 'link.set', name: 'veth1-br', master: 'labbr0', up: true },
  { op: 'link.set', name: 'veth2-br', master: 'labbr0', up: true, mtu: 1400 },
  { op: 'addr.add', ns: 'ns1', dev: 'veth1', cidr: '10.0.0.2/24' },
  { op: 'addr.add', ns: 'ns2', dev: 'veth2', cidr: '10.0.0.3/24' },
  { op: 'addr.add', ns: 'ns1', dev: 'eth0', cidr: '10.9.0.1/30' },
  { op: 'addr.add', ns: 'ns2', dev: 'eth0', cidr: '10.9.0.2/30' },
  { op: 'link.set', ns: 'ns1', name: 'lo', up: true },
  { op: 'link.set', ns: 'ns1', name: 'veth1', up: true },
  { op: 'link.set', ns: 'ns1', name: 'eth0', up: true },
  { op: 'link.set', ns: 'ns2', name: 'veth2', up: true },
  { op: 'link.set', ns: 'ns2', name: 'eth0', up: true },
  { op: 'route.add', ns: 'ns1', dst: 'default', via: '10.0.0.1' },
  { op: 'route.add', ns: 'ns2', dst: 'default', via: '10.0.0.1' },
  { op: 'route.add', ns: 'ns2', dst: '10.77.0.0/16', via: '10.9.0.1' },
  { op: 'forwarding.set', enabled: true },
  { op: 'forwarding.set', enabled: true, ns: 'ns1' },
  { op: 'nat.masquerade.add', source: '10.0.0.0/24', notDestination: '10.0.0.0/24' },
  { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 },
];

let original: Snapshot;
let script = '';
// A namespace only a process holds (no name): a script cannot make it, and must say so.
let holder: ChildProcess | undefined;

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
  const result = await applyIntents(systemExec, LAB, { journal: new Journal(mkdtempSync(join(tmpdir(), 'netloom-state-'))) });
  expect(result.applied).toBe(true);
  holder = spawn('unshare', ['--net', 'sleep', '60'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && (original === undefined || !original.namespaces.some((n) => n.kind === 'process')); i++) {
    await new Promise((r) => setTimeout(r, 100));
    original = await takeSnapshot(systemExec);
  }
  script = exportScript(original);
}, 60_000);

afterAll(async () => {
  if (holder?.pid !== undefined && holder.exitCode === null) holder.kill('SIGKILL');
  await resetSandbox();
});

/** Runs the script in a fresh nested sandbox and returns the snapshot taken there. */
async function rebuildElsewhere(text: string): Promise<{ snapshot: Snapshot; stderr: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'netloom-export-'));
  const file = join(dir, 'rebuild.sh');
  writeFileSync(file, text, { mode: 0o700 });
  const t0 = performance.now();
  const { stdout, stderr } = await execFileP(
    process.execPath,
    ['scripts/sandbox.mjs', '--', 'bash', '-c', 'bash "$1" && exec node bin/netloom snapshot', 'rebuild', file],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return { snapshot: Snapshot.parse(JSON.parse(stdout)), stderr, ms: performance.now() - t0 };
}

describe('export as shell script: a round trip through a fresh sandbox', () => {
  it('the script says what it cannot rebuild and uses netloom chains only', () => {
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain('ip -n ns1 link add name eth0 type veth peer name eth0 netns ns2');
    expect(script).toMatch(/^-A NETLOOM-PREROUTING .* -j DNAT --to-destination 10\.0\.0\.2:80$/m);
    for (const line of script.split('\n').filter((l) => /^-[AI] /.test(l))) expect(line).toMatch(/NETLOOM-|netloom/);
    const proc = original.namespaces.find((n) => n.kind === 'process');
    expect(proc).toBeDefined();
    expect(script).toContain('# Not recreated — a script cannot make the process or container that holds these namespaces:');
    expect(script).toMatch(new RegExp(`^# {3}${proc!.id}: unnamed, held by .*sleep`, 'm'));
  });

  it('rebuilds the same namespaces, links, addresses, routes, forwarding and netloom rules', async () => {
    const { snapshot, stderr, ms } = await rebuildElsewhere(script);
    expect(stderr).toContain('netloom: network rebuilt');
    const want = networkView(original);
    const got = networkView(snapshot);
    console.log(`round trip: ${script.split('\n').length} script lines; ${want.links.length} links, ${want.netloomRules.length} netloom rules; rebuilt + snapshot in ${ms.toFixed(0)} ms`);
    expect(got.namespaces).toEqual(want.namespaces);
    expect(got.links).toEqual(want.links);
    expect(got.addresses).toEqual(want.addresses);
    expect(got.routes).toEqual(want.routes);
    expect(got.forwarding).toEqual(want.forwarding);
    expect(got.netloomRules).toEqual(want.netloomRules);
    expect(want.netloomRules.length).toBeGreaterThanOrEqual(9);
  }, 60_000);

  it('exporting the rebuilt network gives the same script (but for the time and the process namespace)', async () => {
    const { snapshot } = await rebuildElsewhere(script);
    // …and but for the process-held namespace, which the rebuilt network cannot have.
    const strip = (t: string) => t.replace(/^# Rebuilds the network .*$/m, '').replace(/^# Not recreated — a script cannot make the process.*\n(#   .*\n)*\n/m, '');
    expect(strip(exportScript(snapshot))).toBe(strip(script));
  }, 60_000);
});
