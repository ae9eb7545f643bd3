// bench/multihost (issue 14): 3 hosts × 100 namespaces over ssh, each host its own network,
// mount, PID and UTS namespace running Debian's sshd in the sandbox (test/integration/ssh-lab.ts).
// Goals: the first full picture of all three over ssh ≤ 1.5× the slowest host read locally (the
// peer: `netloom snapshot` run on that host); a change on a remote host → the picture, p95 < 300 ms.
// Cold (a new ssh connection) and warm (over an existing master connection) are both printed.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, machine, run } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const probe = await buildProbe(here, 'multihost-probe');
console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
const results = JSON.parse(run([process.execPath, probe, root]).trim().split('\n').at(-1));
const ms = (xs) => `[${xs.map((x) => x.toFixed(0)).join(', ')}]`;
for (const r of results) {
  const m = r.medians;
  const peer = m.local;
  const line = (label, key, goal = true, base = peer) => console.log(`  ${label.padEnd(70)} median ${m[key].toFixed(0).padStart(5)} ms ${ms(r.runs[key]).padEnd(22)}${goal ? ` ratio ${(m[key] / base).toFixed(2)}× (goal ≤ 1.5×${m[key] / base <= 1.5 ? ': met' : ''})${base === peer ? `, ${(m[key] / m.localParallel).toFixed(2)}× the parallel local reads` : ''}` : ''}`);
  console.log(`\nroot's home on the hosts: ${r.home === 'fresh' ? "Debian's default (/etc/skel)" : "this machine's /root (its .bashrc runs pyenv init per ssh command)"}; ${r.namespaces} namespaces; load average after: ${r.load}`);
  line('slowest host read locally (peer)', 'local', false);
  line('the three local reads at once (the same 2 cores)', 'localParallel', false);
  line('all three, cold, as before (new connections, plain tar sent)', 'coldBefore');
  line('all three, cold connection, bundle kept on the hosts (opt-in)', 'coldCached');
  line('all three, warm (master up), bundle sent (the default)', 'warm');
  line('all three, warm, bundle kept', 'warmCached');
  line('in the app (netloom serve up): all three connected at once, cold', 'appCold');
  line('in the app: all three, warm (masters up)', 'appWarm');
  line('one host alone, read locally (the peer of the next line)', 'localOne', false);
  line('in the app: that one host alone, warm — no other host on the cores', 'appWarmOne', true, m.localOne);
  line('one host, cold, as before', 'oneCold', false);
  line('one host, warm, bundle kept', 'oneWarmCached', false);
  console.log(`  change on a remote host → picture: median ${r.lagMedian.toFixed(0)} ms, p95 ${r.lagP95.toFixed(0)} ms  (goal p95 < 300 ms${r.lagP95 < 300 ? ': met' : ''})`);
}
