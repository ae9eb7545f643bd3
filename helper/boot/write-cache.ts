import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCore } from './run-core.js';

/**
 * Build step (scripts/build.mjs): `write-code-cache.cjs DIR` runs `netloom --help` (which loads
 * every command) from DIR and writes the code cache beside the bundle — after the run, so the
 * functions it compiled lazily are in the cache too. The helper itself never writes its cache.
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: write-code-cache.cjs OUT_HELPER_DIR');
process.argv.splice(2, process.argv.length - 2, '--help');
const { script } = runCore(join(dir, 'netloom-core.cjs'), { useCache: false });
process.once('exit', () => writeFileSync(join(dir, 'netloom-core.cjs.cache'), script.createCachedData()));
