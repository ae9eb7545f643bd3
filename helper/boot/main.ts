import { join } from 'node:path';
import { runCore } from './run-core.js';

/** out/helper/netloom.cjs: what bin/netloom, Electron and `netloom serve` start. */
runCore(join(__dirname, 'netloom-core.cjs'));
