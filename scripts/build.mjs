#!/usr/bin/env node
// Builds everything: the helper (a small loader, out/helper/netloom.cjs, run by bin/netloom and
// by Electron as Node; the core bundle it runs; V8's code cache for it), then main, preload
// and renderer with electron-vite.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const helperBuild = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
// The helper core (every command), a small loader that runs it with V8's code cache, and the
// build step that writes the cache (helper/boot/): start-up is most of a one-shot command's time.
await build({
  ...helperBuild,
  entryPoints: [join(root, 'helper/cli.ts')],
  outfile: join(root, 'out/helper/netloom-core.cjs'),
  sourcemap: true,
});
await build({
  ...helperBuild,
  entryPoints: [join(root, 'helper/boot/main.ts')],
  outfile: join(root, 'out/helper/netloom.cjs'),
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(join(root, 'out/helper/netloom.cjs'), 0o755);
const cacheWriter = join(root, 'out/build/write-code-cache.cjs');
await build({ ...helperBuild, entryPoints: [join(root, 'helper/boot/write-cache.ts')], outfile: cacheWriter });
rmSync(join(root, 'out/helper/netloom-core.cjs.cache'), { force: true });
execFileSync(process.execPath, [cacheWriter, join(root, 'out/helper')], { stdio: 'ignore' });
// netloom-nsread (helper/native/*.c): reads and watches every namespace over netlink from one
// process. Without a C compiler the helper still works — it then reads namespaces with ip.
const nsread = join(root, 'out/helper/netloom-nsread');
const nativeDir = join(root, 'helper/native');
rmSync(nsread, { force: true });
mkdirSync(dirname(nsread), { recursive: true });
try {
  const sources = readdirSync(nativeDir).filter((f) => f.endsWith('.c')).map((f) => join(nativeDir, f));
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-std=c11', '-pthread', '-o', nsread, ...sources], { stdio: 'inherit' });
} catch {
  console.warn('netloom-nsread was not built (no C compiler?): discovery will read namespaces with ip, more slowly');
}
/** Whether the electron package is installed: it is optional, and npm drops it when its binary cannot be downloaded. */
function electronInstalled() {
  try {
    createRequire(import.meta.url).resolve('electron/package.json');
    return true;
  } catch {
    return false;
  }
}

if (!process.argv.includes('--helper-only')) {
  if (electronInstalled()) {
    execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
  } else {
    // electron-vite needs Electron's package to build main and preload; without it there is no
    // desktop app to run, but browser mode needs the renderer: built with vite as electron-vite
    // would (relative base, no modulePreload polyfill, unminified).
    console.warn('Electron is not installed (its download failed, so npm left out the optional package): building the renderer for browser mode only');
    const { build: viteBuild } = await import('vite');
    const { default: react } = await import('@vitejs/plugin-react');
    await viteBuild({
      configFile: false,
      root: join(root, 'renderer'),
      base: './',
      plugins: [react()],
      logLevel: 'warn',
      build: {
        outDir: join(root, 'out/renderer'),
        emptyOutDir: true,
        target: 'es2022',
        modulePreload: { polyfill: false },
        minify: false,
        reportCompressedSize: false,
        rollupOptions: { input: join(root, 'renderer/index.html') },
      },
    });
  }
}
console.log(`built in ${Date.now() - started} ms`);
