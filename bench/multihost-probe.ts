// Bundled by multihost.bench.mjs: 3 sshd "hosts" × N namespaces in the sandbox (the tests' lab).
// Times each host read locally (the peer: netloom snapshot run on that host), the first full
// picture of all three over ssh (`netloom --host a --host b --host c snapshot`), and a change on a
// remote host → the live picture (RemoteHost's topology.watch over ssh), p95.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HostSet } from '../helper/hosts/host-set.js';
import { sh } from '../test/sandbox.js';
import { startSshLab } from '../test/integration/ssh-lab.js';

const root = process.argv[2] ?? '';
const N = Number(process.env.BENCH_NAMESPACES ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
const bundle = join(root, 'out/helper/netloom.cjs');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? NaN;
const timed = (argv: string[]) => {
  const t = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), { maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return { ms: performance.now() - t, out: r.stdout.toString() };
};

const lab = await startSshLab(['ha', 'hb', 'hc']);
try {
  for (const h of lab.hosts) {
    const batch = Array.from({ length: N }, (_, i) => `netns add n${i}`).join('\n') + '\n';
    await sh(['nsenter', '-t', String(h.pid), '-n', '-m', '-p', '--', 'ip', '-batch', '-'], batch);
  }
  const local: number[] = [];
  const localParallel: number[] = [];
  const one: number[] = [];
  const remote: number[] = [];
  const timedAsync = (argv: string[]) =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now();
      const c = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
      c.on('close', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`${argv.join(' ')}: exit ${code}`))));
    });
  let namespaces = 0;
  for (let r = 0; r < RUNS; r++) {
    const each = lab.hosts.map((h) => timed(['nsenter', '-t', String(h.pid), '-n', '-m', '-p', '--', process.execPath, bundle, 'snapshot']).ms);
    local.push(Math.max(...each));
    // The same three reads at once: here all hosts share this machine's 2 cores, as they do over ssh.
    localParallel.push(Math.max(...(await Promise.all(lab.hosts.map((h) => timedAsync(['nsenter', '-t', String(h.pid), '-n', '-m', '-p', '--', process.execPath, bundle, 'snapshot']))))));
    one.push(timed([process.execPath, bundle, '--ssh-config', lab.config, '--host', `root@${lab.hosts[0]?.addr}`, 'snapshot']).ms);
    const all = timed([process.execPath, bundle, '--ssh-config', lab.config, ...lab.hosts.flatMap((h) => ['--host', `${h.name}=root@${h.addr}`]), 'snapshot']);
    remote.push(all.ms);
    namespaces = (JSON.parse(all.out) as { namespaces: unknown[] }).namespaces.length;
  }
  // Live: a namespace made on host c, until its patch reaches the picture over ssh.
  const hosts = new HostSet([{ destination: `root@${lab.hosts[2]?.addr}`, name: 'hc' }], { configFile: lab.config, helperDir: join(root, 'out/helper') });
  const host = hosts.hosts.get('hc');
  if (!host) throw new Error('no host');
  await host.connect();
  const lags: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const name = `live${i}`;
    const seen = new Promise<number>((resolve) => {
      const stop = hosts.listen(() => {
        if (host.snapshot?.namespaces.some((n) => n.name === name)) {
          stop();
          resolve(performance.now());
        }
      });
    });
    const t = performance.now();
    await sh(['nsenter', '-t', String(lab.hosts[2]?.pid), '-n', '-m', '-p', '--', 'ip', 'netns', 'add', name]);
    lags.push((await seen) - t);
  }
  hosts.close();
  console.log(JSON.stringify({ namespaces, local, localParallel, one, remote, localParallelMedian: median(localParallel), oneMedian: median(one), lags, slowestLocal: median(local), firstPicture: median(remote), lagP95: p95(lags), lagMedian: median(lags) }));
} finally {
  await lab.close();
}
