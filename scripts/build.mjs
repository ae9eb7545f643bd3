#!/usr/bin/env node
// Builds everything: the helper bundle (one file, run by bin/netloom and by Electron as
// Node), then main, preload and renderer with electron-vite.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
await build({
  entryPoints: [join(root, 'helper/cli.ts')],
  outfile: join(root, 'out/helper/netloom.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(join(root, 'out/helper/netloom.cjs'), 0o755);
if (!process.argv.includes('--helper-only')) {
  execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
console.log(`built in ${Date.now() - started} ms`);
