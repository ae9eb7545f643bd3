#!/usr/bin/env node
// The import direction between layers (DESIGN §1, STYLE §2), checked on every import,
// export-from, import() and require() in protocol/, helper/, electron/ and renderer/src/.
// Specifiers come from TypeScript's own pre-processor, so comments and strings that
// merely look like imports are not counted. Usage: check-layers.mjs [--root DIR]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const LAYERS = ['protocol', 'helper', 'electron', 'renderer/src'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const BUILTINS = new Set(builtinModules);

/** Which layer a repo-relative path belongs to ('' for none of them: test/, scripts/, …). */
function layerOf(rel) {
  const p = rel.split(sep).join('/');
  if (p.startsWith('renderer/')) return 'renderer';
  const top = p.split('/')[0];
  return ['protocol', 'helper', 'electron'].includes(top) ? top : '';
}

function isBuiltin(spec) {
  return spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]);
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The broken rule, as a sentence, or null. `target` is the imported layer for relative specifiers. */
export function brokenRule(layer, spec, target) {
  const relativeSpec = spec.startsWith('.') || spec.startsWith('/');
  switch (layer) {
    case 'protocol':
      if (relativeSpec) return target === 'protocol' ? null : 'protocol imports nothing outside protocol/';
      return packageName(spec) === 'zod' ? null : 'protocol imports no package but zod (it is pure code, no I/O)';
    case 'renderer':
      if (relativeSpec) return target === 'helper' || target === 'electron' ? `renderer never imports ${target}/` : null;
      if (isBuiltin(spec)) return 'renderer has no Node: no node builtins';
      return packageName(spec) === 'electron' ? 'renderer never imports electron (it talks through window.netloom)' : null;
    case 'helper':
      if (relativeSpec) return target === 'renderer' || target === 'electron' ? `helper never imports ${target}/` : null;
      return packageName(spec) === 'electron' ? 'helper knows nothing of Electron' : null;
    case 'electron':
      if (relativeSpec) return target === 'helper' || target === 'renderer' ? `electron never imports ${target}/ (it runs the helper's bundle as a process)` : null;
      return null;
    default:
      return null;
  }
}

function* sourceFiles(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

function lineAt(text, pos) {
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function checkLayers(root) {
  const problems = [];
  let files = 0;
  for (const top of LAYERS) {
    for (const file of sourceFiles(join(root, top))) {
      files++;
      const rel = relative(root, file);
      const layer = layerOf(rel);
      const text = readFileSync(file, 'utf8');
      for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
        const spec = ref.fileName;
        const target = spec.startsWith('.') || spec.startsWith('/') ? layerOf(relative(root, resolve(dirname(file), spec))) : '';
        const rule = brokenRule(layer, spec, target);
        if (rule) problems.push(`${rel}:${lineAt(text, ref.pos)}: imports '${spec}': ${rule}`);
      }
    }
  }
  return { files, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--root');
  const root = i === -1 ? join(dirname(fileURLToPath(import.meta.url)), '..') : resolve(process.argv[i + 1] ?? '.');
  const { files, problems } = checkLayers(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-layers: ${problems.length} import(s) break the layer rules (DESIGN §1)`);
    process.exit(1);
  }
  console.log(`check-layers: ${files} files, imports go the right way`);
}
