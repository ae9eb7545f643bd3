import { join } from 'node:path';
import type { HelperConnection } from './helper-connection.js';
import { launchElevatedHelper } from './helper-elevated.js';
import type { ElevationFailure, SudoExec } from './helper-elevated.js';
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
  /** The helper's runtime (helper-runtime.ts): the package's own Node, or Electron's binary as Node unpackaged. */
  execPath: string;
  /** Electron's binary: set ELECTRON_RUN_AS_NODE (default true). */
  runAsNode?: boolean;
  bundlePath: string;
  env: NodeJS.ProcessEnv;
  uid: number | undefined;
  log: (line: string) => void;
}

/**
 * The argv and environment of a helper run by Electron's binary in Node mode: the helper itself,
 * or another command of its bundle (`hosts --stdio`, the desktop's host layer).
 */
export function helperCommand(deps: Pick<LaunchDeps, 'execPath' | 'bundlePath' | 'env' | 'runAsNode'>, command: readonly string[] = ['helper', '--stdio']): {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
} {
  return {
    command: deps.execPath,
    args: [deps.bundlePath, ...command],
    env: deps.runAsNode === false ? { ...deps.env } : { ...deps.env, ELECTRON_RUN_AS_NODE: '1' },
  };
}

/**
 * Whether to ask for privileges. One refusal (or no pkexec at all) stops the asking: the
 * supervisor's restarts then bring up the unprivileged helper instead of a prompt loop.
 * Only the person asks again ("Grant access" → grantAccess(), then a supervisor restart).
 */
export class ElevationState {
  private failure: { kind: ElevationFailure; reason: string } | null = null;

  get shouldAsk(): boolean {
    return this.failure === null;
  }

  /** Why there is no privileged helper, for the banner; null while we still ask. */
  get reason(): string | null {
    return this.failure?.reason ?? null;
  }

  failed(kind: ElevationFailure, reason: string): void {
    this.failure = { kind, reason };
  }

  /** "Grant access": ask through the system prompt on the next launch. */
  grantAccess(): void {
    this.failure = null;
  }
}

/** "Grant access": forget the refusal and start a fresh helper, which asks through the prompt. */
export function grantAccess(state: ElevationState, supervisor: { restart(): Promise<void> }): Promise<void> {
  state.grantAccess();
  return supervisor.restart();
}

export interface ElevationDeps {
  sudoExec: SudoExec;
  state: ElevationState;
}

let warnedUnprivileged = false;

/** Starts one helper. The supervisor calls this again after a crash. */
export function launchHelper(deps: LaunchDeps & { elevation?: ElevationDeps }): HelperConnection {
  const strategy = chooseHelperStrategy(deps.uid);
  const elevation = deps.elevation;
  if (strategy === 'elevate' && elevation?.state.shouldAsk) {
    return launchElevatedHelper({
      sudoExec: elevation.sudoExec,
      execPath: deps.execPath,
      ...(deps.runAsNode === false ? { runAsNode: false } : {}),
      bundlePath: deps.bundlePath,
      log: deps.log,
      onFailure: (kind, reason) => elevation.state.failed(kind, reason),
    });
  }
  if (strategy === 'elevate' && !warnedUnprivileged) {
    // Refused, no pkexec, or no elevation wired in (tests): the helper runs as the user;
    // it shows what it can see and says so in a notice.
    warnedUnprivileged = true;
    deps.log(`helper: not root (${elevation?.state.reason ?? 'no elevation'}); starting it as the current user`);
  }
  const { command, args, env } = helperCommand(deps);
  return spawnStdioHelper({ spawn: deps.spawn, command, args, env, log: deps.log });
}
