import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCore } from '../../../../helper/boot/run-core.js';

const runCorePath = join(__dirname, '../../../../helper/boot/run-core.ts');
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for netloom-core.cjs: records what a CommonJS module should see. */
function fakeCore(): string {
  dir = mkdtempSync(join(tmpdir(), 'netloom-boot-'));
  const core = join(dir, 'netloom-core.cjs');
  writeFileSync(
    core,
    '#!/usr/bin/env node\nmodule.exports.seen = { file: __filename, dir: __dirname, sep: require("node:path").sep, self: module.filename, thisIsExports: this === module.exports };\n',
  );
  return core;
}

describe('runCore (the helper loader with V8 code cache)', () => {
  it('runs the core as a CommonJS module in its own directory, shebang and all', () => {
    const core = fakeCore();
    const { exports } = runCore(core);
    expect(exports).toEqual({ seen: { file: core, dir, sep: '/', self: core, thisIsExports: true } });
  });

  it('uses a cache V8 accepts, and ignores a broken one instead of failing (fresh processes)', async () => {
    const core = fakeCore();
    // A fresh Node per run: within one process V8's in-memory cache would answer instead.
    const loader = join(dir, 'loader.cjs');
    await build({
      stdin: { contents: `const r = require(${JSON.stringify(runCorePath)}).runCore(process.argv[2], { useCache: process.argv[3] !== 'no' });
        if (process.argv[3] === 'write') require('node:fs').writeFileSync(process.argv[2] + '.cache', r.script.createCachedData());
        process.stdout.write(String(r.cacheRejected));`, resolveDir: dir, loader: 'ts' },
      bundle: true, platform: 'node', format: 'cjs', outfile: loader, logLevel: 'silent',
    });
    const run = (mode: string): string => execFileSync(process.execPath, [loader, core, mode], { encoding: 'utf8' });
    expect(run('write')).toBe('undefined');
    expect(run('use')).toBe('false');
    writeFileSync(core + '.cache', Buffer.from('not a V8 cache'));
    expect(run('use')).toBe('true');
  });
});
