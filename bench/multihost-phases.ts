// Bundled by multihost-phases.bench.mjs: where the first picture over ssh spends its time (issue 14).
// In the tests' sshd lab (3 hosts × N namespaces), each step of one `snapshot` session is timed from
// the client's side: ssh up to the remote shell's first line (TCP, key exchange, auth, session,
// shell start), the facts (sudo -n, node -v), the bundle sent and unpacked, then root's copy +
// SHA-256 check + node start + the snapshot read + its transfer back. The remote-side parts are
// timed on the host itself (nsenter) for comparison, and a bare `ssh host true` cold and over a
// master connection.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession } from '../helper/hosts/ssh-bootstrap.js';
import { controlPath, masterDir } from '../helper/hosts/ssh-master.js';
import { sh } from '../test/sandbox.js';
import { startSshLab } from '../test/integration/ssh-lab.js';

const root = process.argv[2] ?? '';
const N = Number(process.env.BENCH_NAMESPACES ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const helperDir = join(root, 'out/helper');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const timed = (argv: string[]) => {
  const t = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), { maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return performance.now() - t;
};

interface Steps { dir: number; ready: number; go: number; cached?: number; need?: number; staged: number; firstByte: number; end: number }

async function session(dest: string, config: string, bundleCache = false, gzipBundle = true): Promise<Steps> {
  const s: Partial<Steps> = {};
  const t0 = performance.now();
  const sess = await openSession({ destination: dest }, ['snapshot'], { configFile: config, helperDir, bundleCache, gzipBundle, onStage: (k, ms) => (s[k] = ms) });
  sess.child.stdin.end();
  sess.output.once('data', () => (s.firstByte = performance.now() - t0));
  await new Promise((r) => sess.child.on('close', r));
  s.end = performance.now() - t0;
  return s as Steps;
}

const lab = await startSshLab(['ha', 'hb', 'hc'], { multiplex: true, rootHome: process.env.BENCH_HOMES === 'machine' ? 'machine' : 'fresh' });
const ctl = mkdtempSync(join(tmpdir(), 'netloom-bench-ctl-'));
try {
  for (const h of lab.hosts) {
    const batch = Array.from({ length: N }, (_, i) => `netns add n${i}`).join('\n') + '\n';
    await sh(['nsenter', '-t', String(h.pid), '-n', '-m', '-p', '--', 'ip', '-batch', '-'], batch);
  }
  const h0 = lab.hosts[0];
  if (!h0) throw new Error('no host');
  const dest = `root@${h0.addr}`;
  const ssh = (...a: string[]) => ['ssh', '-F', lab.config, '-o', 'BatchMode=yes', ...a];
  const out: Record<string, number[]> = {};
  const add = (k: string, v: number) => (out[k] ??= []).push(v);
  for (let r = 0; r < RUNS; r++) {
    add('ssh true, cold', timed(ssh('--', dest, 'true')));
    const onHost = (argv: string[]) => timed(['nsenter', '-t', String(h0.pid), '-n', '-m', '-p', '--', ...argv]);
    add('on the host: node netloom.cjs snapshot', onHost([process.execPath, join(helperDir, 'netloom.cjs'), 'snapshot']));
    add('on the host: sha256sum of the bundle', onHost(['sha256sum', ...['netloom.cjs', 'netloom-core.cjs', 'netloom-core.cjs.cache', 'netloom-nsread'].map((f) => join(helperDir, f))]));
    // As before this work: a new connection for each session, the bundle sent each time.
    process.env.NETLOOM_SSH_MASTER = 'no';
    const one = await session(dest, lab.config, false, false);
    for (const [k, v] of Object.entries(one)) add(`cold, bundle sent: ${k}`, v);
    const three = await Promise.all(lab.hosts.map((h) => session(`root@${h.addr}`, lab.config, false, false)));
    add('cold ×3 at once: slowest end', Math.max(...three.map((x) => x.end)));
    add('cold ×3 at once: slowest dir', Math.max(...three.map((x) => x.dir)));
    // Over a master connection (ssh-master.ts), the bundle kept by root (bundle-cache.ts).
    process.env.NETLOOM_SSH_MASTER = 'yes';
    await session(dest, lab.config, true);
    // Over the master, the bundle sent: as a tar, and gzipped.
    const plain = await session(dest, lab.config, false, false);
    add('warm, bundle sent as tar: go → staged', plain.staged - plain.go);
    add('warm, bundle sent as tar: end', plain.end);
    const gz = await session(dest, lab.config, false, true);
    add('warm, bundle sent gzipped: go → staged', gz.staged - gz.go);
    add('warm, bundle sent gzipped: end', gz.end);
    const warm = await session(dest, lab.config, true);
    for (const [k, v] of Object.entries(warm)) add(`warm, bundle kept: ${k}`, v);
    await Promise.all(lab.hosts.map((h) => session(`root@${h.addr}`, lab.config, true)));
    const warm3 = await Promise.all(lab.hosts.map((h) => session(`root@${h.addr}`, lab.config, true)));
    add('warm ×3 at once, bundle kept: slowest end', Math.max(...warm3.map((x) => x.end)));
    add('warm ×3 at once, bundle kept: slowest dir', Math.max(...warm3.map((x) => x.dir)));
    const dir = masterDir();
    for (const h of lab.hosts) if (dir) spawnSync('ssh', ['-F', lab.config, '-o', `ControlPath=${controlPath(dir, lab.config)}`, '-O', 'exit', '--', `root@${h.addr}`], { stdio: 'ignore' });
    // A master connection made by hand (what ControlPersist users have): later commands skip the handshake.
    const path = join(ctl, `m${r}`);
    timed(ssh('-o', 'ControlMaster=yes', '-o', `ControlPath=${path}`, '-o', 'ControlPersist=30', '-f', '-N', '--', dest));
    add('ssh true, over a master', timed(ssh('-o', `ControlPath=${path}`, '--', dest, 'true')));
    timed(ssh('-o', `ControlPath=${path}`, '-O', 'exit', '--', dest));
  }
  for (const [k, v] of Object.entries(out)) console.log(`${k.padEnd(44)} median ${median(v).toFixed(0).padStart(5)} ms  [${v.map((x) => x.toFixed(0)).join(', ')}]`);
} finally {
  rmSync(ctl, { recursive: true, force: true });
  await lab.close();
}
