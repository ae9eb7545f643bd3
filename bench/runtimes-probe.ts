// Bundled by runtimes.bench.mjs: times TopologyCache.refreshAll with and without asking the runtimes, in one process.
import { systemExec } from '../helper/exec.js';
import { DockerSource } from '../helper/discover/runtimes/docker.js';
import { TopologyCache } from '../helper/discover/topology-cache.js';
import { fileURLToPath } from 'node:url';
import { useNsreadAt } from '../helper/native/nsread-path.js';

// Bundled as an ES module (no __dirname): the built reader is in out/helper of this checkout.
useNsreadAt(fileURLToPath(new URL('../../out/helper/netloom-nsread', import.meta.url)));

const RUNS = Number(process.env.RUNS ?? 7);
const ms = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

const without: number[] = [];
const cold: number[] = [];
const warm: number[] = [];
const askOnly: number[] = [];
const reused = new TopologyCache(systemExec);
await reused.refreshAll();
let named = 0;
let namespaces = 0;
for (let r = 0; r < RUNS; r++) {
  let t = process.hrtime.bigint();
  await new TopologyCache(systemExec, { runtimes: null }).refreshAll();
  without.push(ms(t));
  t = process.hrtime.bigint();
  const s = await new TopologyCache(systemExec).refreshAll();
  cold.push(ms(t));
  named = s.namespaces.filter((n) => n.container?.runtime === 'docker').length;
  namespaces = s.namespaces.length;
  t = process.hrtime.bigint();
  await reused.refreshAll();
  warm.push(ms(t));
  t = process.hrtime.bigint();
  await new DockerSource().read();
  askOnly.push(ms(t));
}
console.log(JSON.stringify({ without, cold, warm, askOnly, named, namespaces }));
