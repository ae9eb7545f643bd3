// Bundled and run by bench/counters.bench.mjs: the counters stream over the real topology at
// 1 Hz; prints the helper's own CPU, its keepers' CPU, and how many samples/interfaces it saw.
import { readFileSync } from 'node:fs';
import { takeSnapshot } from '../helper/discover/topology-cache.js';
import { listNamespaces } from '../helper/discover/namespaces.js';
import { systemExec } from '../helper/exec.js';
import { startCounters } from '../helper/streams/counters.js';
import { fileURLToPath } from 'node:url';
import { useNsreadAt } from '../helper/native/nsread-path.js';

// Bundled as an ES module (no __dirname): the built reader is in out/helper of this checkout.
useNsreadAt(fileURLToPath(new URL('../../out/helper/netloom-nsread', import.meta.url)));

const MEASURE_S = Number(process.env.MEASURE_S ?? 20);
const ticksOf = (pid: number | 'self'): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 Hz)
};

const snap = await takeSnapshot(systemExec);
const found = await listNamespaces();
let samples = 0;
let interfaces = 0;
// nativeReader as the app's topology cache has it: keepers are threads of one netloom-nsread (KEEPERS=ip: ip processes).
const nativeReader = process.env.KEEPERS !== 'ip';
const h = startCounters(systemExec, { current: () => snap, target: (id) => found.find((f) => f.target.id === id)?.target, nativeReader }, { intervalMs: 1000 }, undefined, {
  onSample: (s) => {
    samples++;
    interfaces = s.interfaces.filter((i) => i.rates !== null).length;
  },
});
await new Promise((r) => setTimeout(r, 3000)); // keepers started, first samples out
const keepers = h.keeperPids();
const k0 = keepers.reduce((a, p) => a + ticksOf(p), 0);
const c0 = process.cpuUsage();
const s0 = samples;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
const wall = performance.now() - t0;
const c = process.cpuUsage(c0);
const k1 = keepers.reduce((a, p) => a + ticksOf(p), 0);
h.stop();
console.log(
  JSON.stringify({
    namespaces: snap.namespaces.length,
    interfaces,
    keepers: keepers.length,
    samples: samples - s0,
    cpuPct: ((c.user + c.system) / 1000 / wall) * 100,
    keepersCpuPct: (((k1 - k0) * 10) / wall) * 100,
  }),
);
process.exit(0);
