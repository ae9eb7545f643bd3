import { join } from 'node:path';

/**
 * What runs the helper bundle (DESIGN §8, issue 13 item 9). The packaged app's Electron fuses
 * turn RunAsNode off, so its binary cannot be the helper's Node: the package ships one
 * (resources/helper/node, staged by scripts/stage-helper-runtime.mjs). Unpackaged (npm start,
 * tests), Electron's binary from node_modules is not fused and runs the helper in Node mode.
 */
export interface HelperRuntime {
  execPath: string;
  /** Electron's binary needs ELECTRON_RUN_AS_NODE=1 to be Node; a real Node does not. */
  runAsNode: boolean;
}

export function helperRuntime(app: { isPackaged: boolean }, resourcesPath: string, electronBinary: string): HelperRuntime {
  return app.isPackaged ? { execPath: join(resourcesPath, 'helper', 'node'), runAsNode: false } : { execPath: electronBinary, runAsNode: true };
}
