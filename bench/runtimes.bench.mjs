// bench/runtimes (issue 5): 50 running Docker containers (Debian's dockerd in the sandbox, a busybox
// image imported from busybox-static). A snapshot with the containers named through the Engine API
// against the same snapshot without asking any runtime. Goal: ≤ 1.2×. Runs inside the sandbox (bench/run.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, machine, median, run } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_CONTAINERS ?? 50);

const dir = mkdtempSync(join(tmpdir(), 'netloom-docker-bench-'));
const socket = join(dir, 'docker.sock');
process.env.DOCKER_HOST = `unix://${socket}`;
const dockerd = spawn('/usr/sbin/dockerd', ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '-H', `unix://${socket}`, '--pidfile', join(dir, 'docker.pid'), '--storage-driver', 'vfs', '--cgroup-parent', 'netloom-bench'], { stdio: 'ignore' });
const docker = (...args) => run(['docker', ...args]);
const dockerAsync = (...args) => new Promise((resolve, reject) => spawn('docker', args, { stdio: 'ignore' }).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`docker ${args.join(' ')}: ${c}`)))));
try {
  for (let i = 0; ; i++) {
    try {
      execFileSync('docker', ['version'], { stdio: 'ignore' });
      break;
    } catch {
      if (i > 100) throw new Error('dockerd did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  mkdirSync(join(dir, 'root', 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'root', 'bin', 'busybox'));
  symlinkSync('busybox', join(dir, 'root', 'bin', 'sleep'));
  run(['tar', '-C', join(dir, 'root'), '-cf', join(dir, 'root.tar'), '.']);
  docker('import', join(dir, 'root.tar'), 'bb:local');
  const t0 = Date.now();
  for (let i = 0; i < N; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, N - i) }, (_, k) => dockerAsync('run', '-d', '--name', `c${i + k}`, 'bb:local', 'sleep', '3600')));
  }
  const startS = (Date.now() - t0) / 1000;

  const probe = await buildProbe(here, 'runtimes-probe');
  process.env.RUNS ??= '11';
  const r = JSON.parse(run([process.execPath, probe]).trim().split('\n').at(-1));
  const fmt = (xs) => `median ${median(xs).toFixed(0)} ms  [${xs.map((x) => x.toFixed(0)).join(', ')}]`;
  console.log(`machine: ${machine()}`);
  console.log(`world: ${N} running containers (started in ${startS.toFixed(1)} s), ${r.namespaces} namespaces, ${r.named} named by Docker`);
  console.log(`snapshot without runtimes (peer):      ${fmt(r.without)}`);
  console.log(`snapshot with Docker's names (cold):   ${fmt(r.cold)}   — a fresh cache: 2 lists + ${N} inspects`);
  console.log(`snapshot with Docker's names (warm):   ${fmt(r.warm)}   — inspects cached: 2 lists`);
  console.log(`asking Docker alone (cold):             ${fmt(r.askOnly)}`);
  console.log(`ratio cold/without: ${(median(r.cold) / median(r.without)).toFixed(2)}×, warm/without: ${(median(r.warm) / median(r.without)).toFixed(2)}×  (goal ≤ 1.2×)`);
} finally {
  try {
    const ids = docker('ps', '-aq').split('\n').filter(Boolean);
    if (ids.length) docker('rm', '-f', ...ids);
  } catch {
    // dockerd already gone
  }
  if (dockerd.exitCode === null) {
    const exited = new Promise((r) => dockerd.once('exit', r));
    process.kill(dockerd.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  const sweep = (base, depth) => {
    if (depth > 3) return;
    let entries = [];
    try {
      entries = readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory());
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(base, e.name);
      if (e.name !== 'netloom-bench') sweep(p, depth + 1);
      else {
        const rm = (q) => {
          try {
            for (const c of readdirSync(q, { withFileTypes: true })) if (c.isDirectory()) rm(join(q, c.name));
            rmdirSync(q);
          } catch {
            // busy or gone
          }
        };
        rm(p);
      }
    }
  };
  sweep('/sys/fs/cgroup', 0);
  rmSync(dir, { recursive: true, force: true });
}
