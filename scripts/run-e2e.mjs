#!/usr/bin/env node
// End-to-end tests: the UI in browser mode on a real helper, driven by Playwright with
// Debian's Chromium. Must run inside the network sandbox (npm test does that).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync('/usr/bin/chromium')) {
  console.error('end-to-end tests need Debian\'s Chromium: apt-get install chromium');
  process.exit(1);
}
const extra = process.argv.slice(2);
const r = spawnSync(join(root, 'node_modules/.bin/vitest'), ['run', '--project', 'e2e', ...extra], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
