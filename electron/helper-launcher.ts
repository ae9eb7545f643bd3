import { join } from 'node:path';
import type { HelperConnection } from './helper-connection.js';
import { spawnStdioHelper } from './helper-stdio.js';
import type { SpawnFn } from './helper-stdio.js';

/** Where the helper bundle lives (scripts/build.mjs writes it; electron-builder.yml copies it). */
export function helperBundlePath(app: { isPackaged: boolean; getAppPath(): string }, resourcesPath: string): string {
  // Packaged, the bundle sits outside app.asar (extraResources) so the privileged
  // helper runs a plain file that a person can inspect.
  return app.isPackaged ? join(resourcesPath, 'helper', 'netloom.cjs') : join(app.getAppPath(), 'out', 'helper', 'netloom.cjs');
}

/** How the helper gets its privileges (DESIGN §8). */
export type HelperStrategy = 'direct' | 'elevate';

export function chooseHelperStrategy(uid: number | undefined): HelperStrategy {
  return uid === 0 ? 'direct' : 'elevate';
}

export interface LaunchDeps {
  spawn: SpawnFn;
  /** Electron's own binary, run as Node: no separate Node is needed (DESIGN §8). */
  execPath: string;
  bundlePath: string;
  env: NodeJS.ProcessEnv;
  uid: number | undefined;
  log: (line: string) => void;
}

/** The argv and environment of a helper run by Electron's binary in Node mode. */
export function helperCommand(deps: Pick<LaunchDeps, 'execPath' | 'bundlePath' | 'env'>): {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
} {
  return {
    command: deps.execPath,
    args: [deps.bundlePath, 'helper', '--stdio'],
    env: { ...deps.env, ELECTRON_RUN_AS_NODE: '1' },
  };
}

let warnedUnprivileged = false;

/** Starts one helper. The supervisor calls this again after a crash. */
export function launchHelper(deps: LaunchDeps): HelperConnection {
  const strategy = chooseHelperStrategy(deps.uid);
  if (strategy === 'elevate' && !warnedUnprivileged) {
    // TODO(desktop-app privilege issue): ask once through @vscode/sudo-prompt (pkexec),
    // have the root helper connect back to a 0700 Unix socket with a one-time token, and
    // return that socket as a HelperConnection. Until then the helper runs as the user:
    // it shows what it can see and says so in a notice.
    warnedUnprivileged = true;
    deps.log('helper: not root and no elevation yet; starting it as the current user');
  }
  const { command, args, env } = helperCommand(deps);
  return spawnStdioHelper({ spawn: deps.spawn, command, args, env, log: deps.log });
}
