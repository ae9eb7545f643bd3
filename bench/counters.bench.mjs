// bench/counters (issue 4): counters for 200 namespaces / 400 namespace-side interfaces at 1 Hz.
// netloom's counters stream (/proc/<pid>/net/dev, one idle keeper per idle namespace) against
// the peer: `ip -n NS -s -j link show` for every namespace every second. CPU of one core, same
// run. Goal: netloom < 2 %. Runs only inside the sandbox (bench/run.mjs puts it there).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildProbe, machine, run } from './lib.mjs';
import { buildWorld } from './world.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_NAMESPACES ?? 200);
const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 20);
buildWorld(N);

const probe = await buildProbe(here, 'counters-probe');
process.env.MEASURE_S = String(MEASURE_S);
const ours = JSON.parse(run([process.execPath, probe]).trim().split('\n').at(-1));

// Peer: every second, `ip -n nsI -s -j link show` for every namespace (4 at a time).
const execFileP = promisify(execFile);
const childTicks = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return Number(f[13]) + Number(f[14]); // cutime + cstime of waited-for children
};
const selfBefore = process.cpuUsage();
const ticksBefore = childTicks();
const t0 = performance.now();
let rounds = 0;
while (performance.now() - t0 < MEASURE_S * 1000) {
  const start = performance.now();
  const names = Array.from({ length: N }, (_, i) => `ns${i}`);
  for (let i = 0; i < names.length; i += 4) {
    await Promise.all(names.slice(i, i + 4).map((n) => execFileP('ip', ['-n', n, '-s', '-j', 'link', 'show'])));
  }
  rounds++;
  await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - start))));
}
const wall = performance.now() - t0;
const self = process.cpuUsage(selfBefore);
const peerPct = (((childTicks() - ticksBefore) * 10 + (self.user + self.system) / 1000) / wall) * 100;

console.log(machine());
console.log(`${ours.namespaces} namespaces, ${ours.interfaces} interfaces with rates, 1 Hz, ${MEASURE_S} s measured`);
console.log('| | CPU (% of one core) | processes spawned per second |');
console.log('|---|---:|---:|');
console.log(`| netloom counters stream | ${ours.cpuPct.toFixed(2)} % (+ ${ours.keepersCpuPct.toFixed(2)} % in ${ours.keepers} idle keepers) | 0 (${ours.keepers} long-lived keepers) |`);
console.log(`| peer: ip -n NS -s -j link show per namespace per second | ${peerPct.toFixed(1)} % (${rounds} rounds) | ${N} |`);
console.log(`ratio: netloom uses ${((ours.cpuPct + ours.keepersCpuPct) / peerPct * 100).toFixed(1)} % of the peer's CPU`);
