#!/usr/bin/env node
// `npm test`: everything, in order of cost — typecheck and layer check, build, unit
// tests, then (as root) integration and end-to-end tests inside the network sandbox.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const isRoot = process.getuid?.() === 0;
const started = Date.now();
const failed = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
/** Failed tests, repeated at the very end: CI keeps only the tail of the output. */
const failures = [];
const reports = join(root, 'test-results', 'vitest');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

/** vitest writes a JSON report per step, so the closing line can count every test. */
function vitestArgs(name) {
  return ['--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, name + '.json')}`];
}

function tally() {
  for (const name of ['unit', 'integration', 'e2e']) {
    const f = join(reports, name + '.json');
    if (!existsSync(f)) continue;
    const r = JSON.parse(readFileSync(f, 'utf8'));
    counts.passed += r.numPassedTests ?? 0;
    counts.failed += r.numFailedTests ?? 0;
    counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    for (const file of r.testResults ?? []) {
      for (const t of file.assertionResults ?? []) {
        if (t.status !== 'failed') continue;
        const why = String(t.failureMessages?.[0] ?? '').split('\n').slice(0, 6).join('\n    ');
        failures.push(`${name}: ${file.name.replace(root + '/', '')} > ${t.fullName}\n    ${why}`);
      }
    }
  }
}

function step(title, argv, opts = {}) {
  const t = Date.now();
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  const ok = r.status === 0;
  process.stdout.write(`== ${title}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  if (!ok) failed.push(title);
  return ok;
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want('static')) {
  for (const layer of ['protocol', 'helper', 'electron', 'renderer', 'test']) step(`typecheck ${layer}`, [bin('tsc'), '-p', layer]);
  step('layer imports', [node, 'scripts/check-layers.mjs']);
}
const built = step('build', [node, 'scripts/build.mjs']);
if (want('unit')) step('unit tests', [bin('vitest'), 'run', '--project', 'unit', ...vitestArgs('unit')]);
if (isRoot) {
  const sandbox = [node, 'scripts/sandbox.mjs', '--'];
  if (want('integration')) step('integration tests (sandbox)', [...sandbox, bin('vitest'), 'run', '--project', 'integration', ...vitestArgs('integration')]);
  if (want('e2e') && built) step('end-to-end tests (sandbox, Chromium)', [...sandbox, node, 'scripts/run-e2e.mjs', ...vitestArgs('e2e')]);
} else {
  process.stdout.write('\n== integration and end-to-end tests need root (they build networks in a private sandbox): skipped\n');
}

const secs = ((Date.now() - started) / 1000).toFixed(0);
tally();
if (failed.length && counts.failed === 0) counts.failed = failed.length;
if (failures.length) process.stdout.write(`\nfailed tests:\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
if (failed.length) {
  process.stdout.write(`\nnpm test: ${failed.length} step(s) failed in ${secs} s: ${failed.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(`\nnpm test: all steps passed in ${secs} s\n`);
