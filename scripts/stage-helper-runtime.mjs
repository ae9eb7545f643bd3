#!/usr/bin/env node
// `npm run dist` (after the build, before electron-builder): copies the Node.js running this
// script to out/helper-runtime/node, which electron-builder ships as resources/helper/node — the
// root helper's runtime, since the packaged app's Electron fuses turn ELECTRON_RUN_AS_NODE off
// (issue 13 item 9). A Node built against a shared libnode (Debian's nodejs) cannot be copied
// alone: that is said, and the package is not built.
//
//   node scripts/stage-helper-runtime.mjs [OUT_DIR]
import { copyFileSync, chmodSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ?? join(root, 'out', 'helper-runtime');
const [major, minor] = process.versions.node.split('.').map(Number);
if (process.config.variables.node_shared) {
  console.error(`stage-helper-runtime: ${process.execPath} uses a shared libnode; build the package with an official Node.js build (nodejs.org, nvm, NodeSource)`);
  process.exit(1);
}
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`stage-helper-runtime: Node ${process.versions.node} is older than the helper needs (20.19)`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const target = join(outDir, 'node');
copyFileSync(process.execPath, target);
chmodSync(target, 0o755);
const version = execFileSync(target, ['--version'], { encoding: 'utf8' }).trim();
console.log(`stage-helper-runtime: ${target} (${version}, ${process.arch})`);
