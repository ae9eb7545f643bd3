// Shared by the benchmarks: running argv (no shell for our own code), timing, stats.
import { execFileSync, spawnSync } from 'node:child_process';

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
