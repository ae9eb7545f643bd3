// bench/multihost-phases (issue 14): where the first picture over ssh spends its time, step by
// step (not a goal of its own: the breakdown behind bench/multihost's figure).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, machine, run } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const probe = await buildProbe(here, 'multihost-phases');
console.log(`machine: ${machine()}`);
console.log(run(['cat', '/proc/loadavg']).trim() + '  (load average before)');
process.stdout.write(run([process.execPath, probe, join(here, '..')]));
console.log(run(['cat', '/proc/loadavg']).trim() + '  (load average after)');
