// Bundled by multihost.bench.mjs: 3 sshd "hosts" × N namespaces in the sandbox (the tests' lab).
// Times each host read locally (the peer: netloom snapshot run on that host), the first full
// picture of all three over ssh (`netloom --host a --host b --host c snapshot`) — cold (a new ssh
// connection) and warm (over an existing master connection, as ssh users with ControlPersist
// have) — and a change on a remote host → the live picture (topology.watch over ssh), p95.
// Run once with root's home on the hosts as this machine's (its .bashrc runs pyenv init on every
// ssh command: BENCH_HOMES=machine,fresh) or, by default, with Debian's default one only.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HostSet } from '../helper/hosts/host-set.js';
import { controlPath, masterDir } from '../helper/hosts/ssh-master.js';
import { sh } from '../test/sandbox.js';
import { startSshLab, type SshLab } from '../test/integration/ssh-lab.js';

const root = process.argv[2] ?? '';
const N = Number(process.env.BENCH_NAMESPACES ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
const HOMES = (process.env.BENCH_HOMES ?? 'fresh').split(',');
const bundle = join(root, 'out/helper/netloom.cjs');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? NaN;
const loadavg = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ');
const timed = (argv: string[], env: NodeJS.ProcessEnv = process.env) => {
  const t = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), { maxBuffer: 256 * 1024 * 1024, env });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return { ms: performance.now() - t, out: r.stdout.toString() };
};
const timedAsync = (argv: string[]) =>
  new Promise<number>((resolve, reject) => {
    const t = performance.now();
    const c = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    c.on('close', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`${argv.join(' ')}: exit ${code}`))));
  });

async function measure(home: string) {
  const lab: SshLab = await startSshLab(['ha', 'hb', 'hc'], { multiplex: true, rootHome: home === 'fresh' ? 'fresh' : 'machine' });
  const dir = masterDir();
  const endMasters = () => {
    for (const h of lab.hosts) if (dir) spawnSync('ssh', ['-F', lab.config, '-o', `ControlPath=${controlPath(dir, lab.config)}`, '-O', 'exit', '--', `root@${h.addr}`], { stdio: 'ignore' });
  };
  try {
    for (const h of lab.hosts) {
      const batch = Array.from({ length: N }, (_, i) => `netns add n${i}`).join('\n') + '\n';
      await sh(['nsenter', '-t', String(h.pid), '-n', '-m', '-p', '--', 'ip', '-batch', '-'], batch);
    }
    const all = [process.execPath, bundle, '--ssh-config', lab.config, ...lab.hosts.flatMap((h) => ['--host', `${h.name}=root@${h.addr}`]), 'snapshot'];
    const one = [process.execPath, bundle, '--ssh-config', lab.config, '--host', `root@${lab.hosts[0]?.addr}`, 'snapshot'];
    const env = (master: boolean, cache: boolean, gzip = true) => ({ ...process.env, NETLOOM_SSH_MASTER: master ? 'yes' : 'no', NETLOOM_BUNDLE_CACHE: cache ? 'yes' : 'no', NETLOOM_BUNDLE_GZIP: gzip ? 'yes' : 'no' });
    // The app's way (netloom serve): its process is up already; every host connected at once, until each has its first picture.
    const inApp = async (master: boolean, hosts = lab.hosts) => {
      process.env.NETLOOM_SSH_MASTER = master ? 'yes' : 'no';
      const set = new HostSet(hosts.map((h) => ({ destination: `root@${h.addr}`, name: h.name })), { configFile: lab.config, helperDir: join(root, 'out/helper') });
      const t = performance.now();
      await Promise.all([...set.hosts.values()].map((h) => h.connect()));
      const ms = performance.now() - t;
      set.close();
      return ms;
    };
    const r: Record<string, number[]> = { local: [], localParallel: [], coldBefore: [], coldCached: [], warm: [], warmCached: [], oneCold: [], oneWarmCached: [], appCold: [], appWarm: [], localOne: [], appWarmOne: [] };
    let namespaces = 0;
    // Fills root's bundle cache on each host (what an earlier session of a user who opted in left).
    timed(all, env(false, true));
    for (let i = 0; i < RUNS; i++) {
      const onHost = (h: (typeof lab.hosts)[number]) => ['nsenter', '-t', String(h.pid), '-n', '-m', '-p', '--', process.execPath, bundle, 'snapshot'];
      r.local?.push(Math.max(...lab.hosts.map((h) => timed(onHost(h)).ms)));
      // The same three reads at once: here all hosts share this machine's 2 cores, as they do over ssh.
      r.localParallel?.push(Math.max(...(await Promise.all(lab.hosts.map((h) => timedAsync(onHost(h)))))));
      endMasters();
      // Cold, as before this work: a new connection, the bundle sent.
      r.coldBefore?.push(timed(all, env(false, false, false)).ms);
      r.oneCold?.push(timed(one, env(false, false, false)).ms);
      // In the app: cold (new connections; they become the masters), then warm over them.
      r.appCold?.push(await inApp(true));
      r.appWarm?.push(await inApp(true));
      // One host alone, so the comparison is not about three hosts sharing 2 cores: its local read, and the app's warm picture of it.
      const first = lab.hosts.slice(0, 1);
      r.localOne?.push(timed(onHost(first[0] as (typeof lab.hosts)[number])).ms);
      r.appWarmOne?.push(await inApp(true, first));
      endMasters();
      // Cold with the kept bundle: a new connection (it becomes the master), nothing sent.
      const c = timed(all, env(true, true));
      r.coldCached?.push(c.ms);
      namespaces = (JSON.parse(c.out) as { namespaces: unknown[] }).namespaces.length;
      // Warm: the masters are up; by default (bundle sent), and with the kept bundle.
      r.warm?.push(timed(all, env(true, false)).ms);
      r.warmCached?.push(timed(all, env(true, true)).ms);
      r.oneWarmCached?.push(timed(one, env(true, true)).ms);
    }
    endMasters();
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
    endMasters();
    return { home, namespaces, runs: r, medians: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)])), lags, lagMedian: median(lags), lagP95: p95(lags), load: loadavg() };
  } finally {
    endMasters();
    await lab.close();
  }
}

const out = [];
for (const home of HOMES) out.push(await measure(home));
console.log(JSON.stringify(out));
