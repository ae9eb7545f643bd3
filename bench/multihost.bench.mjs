// bench/multihost (issue 14): 3 hosts × 100 namespaces over ssh, each host its own network,
// mount, PID and UTS namespace running Debian's sshd in the sandbox (test/integration/ssh-lab.ts).
// Goals: the first full picture of all three over ssh ≤ 1.5× the slowest host read locally (the
// peer: `netloom snapshot` run on that host); a change on a remote host → the picture, p95 < 300 ms.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, machine, run } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const probe = await buildProbe(here, 'multihost-probe');
const r = JSON.parse(run([process.execPath, probe, root]).trim().split('\n').at(-1));
console.log(`machine: ${machine()}`);
console.log(`world: 3 hosts, ${r.namespaces} namespaces in the merged snapshot`);
console.log(`slowest host read locally (peer): median ${r.slowestLocal.toFixed(0)} ms  [${r.local.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`all three over ssh (netloom --host ×3 snapshot): median ${r.firstPicture.toFixed(0)} ms  [${r.remote.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`ratio: ${(r.firstPicture / r.slowestLocal).toFixed(2)}×  (goal ≤ 1.5×)`);
console.log(`  the three local reads at once (same 2 cores as the ssh run): median ${r.localParallelMedian.toFixed(0)} ms → ratio ${(r.firstPicture / r.localParallelMedian).toFixed(2)}×`);
console.log(`  one host over ssh (netloom --host h snapshot): median ${r.oneMedian.toFixed(0)} ms  [${r.one.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`change on a remote host → picture: median ${r.lagMedian.toFixed(0)} ms, p95 ${r.lagP95.toFixed(0)} ms  (goal p95 < 300 ms)`);
