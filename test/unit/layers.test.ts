import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const repo = join(__dirname, '../..');
const script = join(repo, 'scripts/check-layers.mjs');

function run(args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: err.stdout + err.stderr };
  }
}

let tree: string | null = null;
function makeTree(files: Record<string, string>): string {
  tree = mkdtempSync(join(tmpdir(), 'netloom-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  return tree;
}
afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
  tree = null;
});

const clean = {
  'protocol/src/a.ts': "import { z } from 'zod';\nexport const A = z.string();\n",
  'helper/cli.ts': "import { A } from '../protocol/src/a.js';\nimport { spawn } from 'node:child_process';\n",
  'electron/main.ts': "import { app } from 'electron';\nimport { A } from '../protocol/src/a.js';\n// import x from '../helper/cli.js' is only a comment\n",
  'renderer/src/app.tsx': "import type { A } from '../../protocol/src/a.js';\nconst s = \"import '../../helper/cli.js'\";\n",
};

describe('check-layers', () => {
  it('passes on the real tree', () => {
    const r = run([]);
    expect(r.out).toContain('imports go the right way');
    expect(r.code).toBe(0);
  });

  it('passes on a clean tree, not fooled by comments and strings', () => {
    const r = run(['--root', makeTree(clean)]);
    expect(r.out).toMatch(/check-layers: 4 files/);
    expect(r.code).toBe(0);
  });

  it.each([
    ['renderer/src/x.ts', "import { run } from '../../helper/cli.js';\n", 'renderer/src/x.ts:1', 'renderer never imports helper/'],
    ['renderer/src/x.ts', "\n\nconst fs = await import('node:fs');\n", 'renderer/src/x.ts:3', 'no node builtins'],
    ['renderer/src/x.ts', "import path from 'path';\n", 'renderer/src/x.ts:1', 'no node builtins'],
    ['electron/x.ts', "const h = require('../helper/cli.js');\n", 'electron/x.ts:1', 'electron never imports helper/'],
    ['electron/x.ts', "export { App } from '../renderer/src/app.js';\n", 'electron/x.ts:1', 'electron never imports renderer/'],
    ['helper/x.ts', "import type {\n  W,\n} from '../electron/main.js';\n", 'helper/x.ts:3', 'helper never imports electron/'],
    ['protocol/src/x.ts', "import { readFileSync } from 'node:fs';\n", 'protocol/src/x.ts:1', 'no package but zod'],
    ['protocol/src/x.ts', "import { Exec } from '../../helper/exec.js';\n", 'protocol/src/x.ts:1', 'nothing outside protocol/'],
  ])('fails on %s importing %j', (path, text, where, rule) => {
    const r = run(['--root', makeTree({ ...clean, [path]: text })]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(where);
    expect(r.out).toContain(rule);
  });
});
