// Shared by the benchmarks: running argv (no shell for our own code), timing, stats.
// Every benchmark builds hundreds of namespaces, rules, or a root `netloom serve`: importing this
// module outside the network sandbox stops the process before any of that can touch the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';

/** Same test as test/sandbox.ts: own network and pid namespaces, and a /proc with none of the machine's processes. */
function inSandbox() {
  const net = process.env.NETLOOM_OUTER_NETNS;
  const pid = process.env.NETLOOM_OUTER_PIDNS;
  if (process.env.NETLOOM_SANDBOX !== '1' || !net || !pid) return false;
  if (readlinkSync('/proc/self/ns/net') === net || readlinkSync('/proc/self/ns/pid') === pid) return false;
  return !readdirSync('/proc').some((e) => {
    try {
      return /^\d+$/.test(e) && readlinkSync(`/proc/${e}/ns/net`) === net;
    } catch {
      return false;
    }
  });
}
if (!inSandbox()) {
  console.error('benchmarks change networking: run them through bench/run.mjs (`npm run bench`), which starts the network sandbox');
  process.exit(2);
}

export function run(argv, input) {
  return execFileSync(argv[0], argv.slice(1), { input, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
}

/** Wall time of one run of argv, in ms, plus peak RSS (KiB) from GNU time when present. */
export function timed(argv, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const rssKiB = Number(r.stderr.trim().split('\n').at(-1));
  return { ms, rssKiB, stdout: r.stdout };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function machine() {
  const cpu = run(['sh', '-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).trim();
  return `${cpu}, ${run(['nproc']).trim()} cores, kernel ${run(['uname', '-r']).trim()}, node ${process.version}`;
}

/** `netloom serve` on a free port (the built bundle) and Debian's Chromium: both UI benchmarks start this way. */
export async function startServeAndBrowser(root) {
  const { spawn } = await import('node:child_process');
  const { join } = await import('node:path');
  const { chromium } = await import('playwright-core');
  const server = spawn(process.execPath, [join(root, 'out/helper/netloom.cjs'), 'serve', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => {
    let out = '';
    server.stdout.on('data', (b) => {
      out += b;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { server, url, browser };
}

/** Bundles a TypeScript probe (helper code measured in-process) to bench/tmp/NAME.mjs; returns its path. */
export async function buildProbe(here, name) {
  const { build } = await import('esbuild');
  const { join } = await import('node:path');
  const outfile = join(here, 'tmp', `${name}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
}
