import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/**
 * Runs the helper's bundle (netloom-core.cjs) with V8's code cache. A one-shot command such
 * as `netloom apply` spends more time compiling and initialising the 1 MB bundle than doing
 * its work; with the cache built at build time (scripts/build.mjs) compiling drops from ~20 ms
 * to ~2 ms. A cache V8 does not accept (another Node, Electron's V8) is ignored: V8 then
 * compiles as usual, so the cache can only make start-up faster, never wrong.
 */
export function runCore(core: string, opts: { useCache?: boolean } = {}): { script: vm.Script; cacheRejected: boolean | undefined; exports: unknown } {
  let source = readFileSync(core, 'utf8');
  // Keep the shebang line's length so positions in stack traces do not move.
  if (source.startsWith('#!')) source = '//' + source.slice(2);
  const cachePath = core + '.cache';
  const cachedData = opts.useCache !== false && existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: core, ...(cachedData ? { cachedData } : {}) });
  const mod = new Module(core);
  mod.filename = core;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(core));
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  wrapper.call(mod.exports, mod.exports, require, mod, core, dirname(core));
  return { script, cacheRejected: script.cachedDataRejected, exports: mod.exports };
}
