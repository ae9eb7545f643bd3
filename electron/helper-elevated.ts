import type { HelperConnection } from './helper-connection.js';
import { createHelperSocketServer } from './helper-socket.js';
import type { HelperSocketOptions } from './helper-socket.js';

/** @vscode/sudo-prompt's exec, injected so tests can play the user at the prompt. */
export type SudoExec = (command: string, options: { name: string }, callback: (error?: Error, stdout?: string | Buffer, stderr?: string | Buffer) => void) => void;

/** Why there is no privileged helper: the person said no, or this system has no pkexec. */
export type ElevationFailure = 'refused' | 'unavailable';

/** sudo-prompt's own sentences (index.js): the prompt was dismissed / no agent / no binary. */
const REFUSED = /did not grant permission|No polkit authentication agent/i;
const UNAVAILABLE = /Unable to find pkexec/i;

/**
 * Paths that may go into the shell command. sudo-prompt runs our string as
 * `/bin/sh -c '… pkexec /bin/bash -c "<ours>"'`, escaping only `"`: inside those double
 * quotes the outer shell still expands `$`, backticks and `\`, so single-quoting alone is
 * NOT enough. We therefore allow only characters no shell treats specially (plus space,
 * which the single quotes cover) and refuse every path with anything else. Letters beyond
 * ASCII are fine: in UTF-8 every byte of them is ≥ 0x80, never a shell metacharacter.
 */
const SAFE_PATH = /^\/[\p{L}\p{M}\p{N} _.,:@%+=\/-]*$/u;

/** Single-quotes a value we control, after checking it holds nothing a shell could act on. */
export function shellQuote(value: string): string {
  if (!SAFE_PATH.test(value)) {
    throw new Error(`refusing to pass ${JSON.stringify(value)} through the privilege prompt's shell: only absolute paths of letters, digits, spaces and _.,:@%+=/- are allowed`);
  }
  return `'${value}'`;
}

export interface ElevatedPaths {
  /** The helper's runtime (helper-runtime.ts): the package's own Node, or Electron's binary as Node. */
  execPath: string;
  /** Electron's binary: prefix ELECTRON_RUN_AS_NODE=1 (default true). */
  runAsNode?: boolean;
  bundlePath: string;
  socketPath: string;
  tokenFile: string;
}

/**
 * The one command line pkexec runs as root. Built ONLY from paths we chose (Electron's
 * binary, our bundle, the socket and token file we just created), each checked and quoted
 * by shellQuote; the environment variable sits in the command because pkexec clears the
 * environment.
 */
export function elevatedCommand(p: ElevatedPaths): string {
  return [
    ...(p.runAsNode === false ? [] : ['ELECTRON_RUN_AS_NODE=1']),
    shellQuote(p.execPath),
    shellQuote(p.bundlePath),
    'helper',
    '--connect',
    shellQuote(p.socketPath),
    '--token-file',
    shellQuote(p.tokenFile),
  ].join(' ');
}

/** What sudo-prompt's callback error means for us, or null when the command itself ran. */
export function classifySudoError(error: Error | undefined): ElevationFailure | null {
  if (!error) return null;
  if (UNAVAILABLE.test(error.message)) return 'unavailable';
  if (REFUSED.test(error.message)) return 'refused';
  return null;
}

/**
 * Runs the root helper for these socket paths and calls back when it has exited (sudo-prompt's
 * callback shape; an error whose message classifySudoError knows means refused / no pkexec).
 */
export type ElevatedRunner = (paths: { socketPath: string; tokenFile: string }, done: (error?: Error, stdout?: string | Buffer, stderr?: string | Buffer) => void) => void;

export interface ElevatedLaunchDeps extends Omit<ElevatedPaths, 'socketPath' | 'tokenFile'> {
  sudoExec: SudoExec;
  /** Instead of sudo-prompt: e.g. pkexec of the installed launcher (electron/polkit-launcher.ts). */
  run?: ElevatedRunner;
  log: (line: string) => void;
  /** Told once when there will be no privileged helper (the launcher then stops asking). */
  onFailure: (kind: ElevationFailure, reason: string) => void;
  /** The root helper has connected and proved itself (its init is on the way). */
  onConnected?: () => void;
  socket?: Omit<HelperSocketOptions, 'log'>;
}

/**
 * Starts the root helper through the system prompt and returns it as a HelperConnection at
 * once; the real connection comes later over the socket (sudo-prompt's callback only fires
 * when the helper has exited). Text sent before the helper connects waits for it. A refused
 * or impossible prompt closes this connection with a reason, and onFailure says which.
 */
export function launchElevatedHelper(deps: ElevatedLaunchDeps): HelperConnection {
  const textListeners: ((t: string) => void)[] = [];
  const closeListeners: ((r: string) => void)[] = [];
  const queued: string[] = [];
  let conn: HelperConnection | null = null;
  let closedReason: string | null = null;
  let stopWaiting: ((reason: string) => Promise<void>) | null = null;
  let prompted = false;
  let fellBack = false;
  let resolveGone!: () => void;
  const gone = new Promise<void>((r) => (resolveGone = r));

  const finish = (reason: string): void => {
    if (closedReason !== null) return;
    closedReason = reason;
    void stopWaiting?.(reason);
    for (const cb of closeListeners) cb(reason);
    resolveGone();
  };

  void (async () => {
    const server = await createHelperSocketServer({ ...deps.socket, log: deps.log });
    stopWaiting = (reason) => server.close(reason);
    if (closedReason !== null) return void server.close(closedReason);
    const paths = { socketPath: server.socketPath, tokenFile: server.tokenFile };
    // Built before the prompt: a path we will not quote stops here, as "unavailable".
    const command = deps.run ? null : elevatedCommand({ execPath: deps.execPath, bundlePath: deps.bundlePath, ...(deps.runAsNode === false ? { runAsNode: false } : {}), ...paths });
    const run: ElevatedRunner = deps.run ?? ((_p, done) => deps.sudoExec(command ?? '', { name: 'netloom' }, done));
    prompted = true;
    run(paths, (error, _stdout, stderr) => {
      const kind = classifySudoError(error);
      if (kind !== null) {
        const why = kind === 'refused' ? 'privileges refused at the system prompt' : 'no privilege prompt (pkexec) on this system';
        deps.log(`helper: ${why}: ${error?.message ?? ''}`);
        deps.onFailure(kind, why);
        fellBack = true;
        finish(why);
      } else if (conn !== null) {
        // sudo-prompt hands over the root helper's stderr only now, when it has exited.
        const tail = String(stderr ?? '').trim().slice(-400);
        if (tail !== '') deps.log(`helper (privileged) stderr: ${tail}`);
      } else {
        // The command ran but never connected (it failed early): its stderr says why.
        const tail = String(stderr ?? error?.message ?? '').trim().slice(-400);
        finish(tail === '' ? 'the privileged helper exited before connecting' : `the privileged helper exited before connecting: ${tail}`);
      }
    });
    const c = await server.connection;
    conn = c;
    c.onText((t) => {
      for (const cb of textListeners) cb(t);
    });
    c.onClose(finish);
    for (const t of queued.splice(0)) c.send(t);
    deps.onConnected?.();
  })().catch((e: unknown) => {
    const why = `the privileged helper could not be started: ${e instanceof Error ? e.message : String(e)}`;
    // Failing before the prompt (no runtime dir, a path we will not quote) fails the same
    // way every time: stop asking rather than crash-loop.
    if (!prompted && closedReason === null) {
      deps.onFailure('unavailable', why);
      fellBack = true;
    }
    finish(why);
  });

  return {
    send(text) {
      if (closedReason !== null) return;
      if (conn) conn.send(text);
      else queued.push(text);
    },
    onText(cb) {
      textListeners.push(cb);
    },
    onClose(cb) {
      if (closedReason !== null) cb(closedReason);
      else closeListeners.push(cb);
    },
    get fellBack() {
      return fellBack;
    },
    async close() {
      if (conn) await conn.close();
      else finish('the helper was stopped before it connected');
      await gone;
    },
  };
}
