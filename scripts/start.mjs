#!/usr/bin/env node
// `npm start` (after the build): the desktop app when it can run here, otherwise browser
// mode, saying why in one line (DESIGN §9).
//   node scripts/start.mjs [--port P]     (--port is for browser mode)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** The Electron binary's path, or null. Its package throws when the download failed. */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(cmd, argv) {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    console.error(`netloom: could not start ${cmd}: ${e.message}`);
    process.exit(1);
  });
}

const electron = electronBinary();
const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (electron && display) {
  run(electron, [root]);
} else {
  const why = !electron ? 'no Electron binary: it could not be downloaded here' : 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  console.log(`netloom: ${why}; starting browser mode instead (netloom serve)`);
  run(process.execPath, [join(root, 'out/helper/netloom.cjs'), 'serve', ...args]);
}
