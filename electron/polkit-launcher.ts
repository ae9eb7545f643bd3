import { join } from 'node:path';
import type { ElevatedRunner } from './helper-elevated.js';
import type { SpawnFn } from './helper-stdio.js';

/** Where the .deb puts netloom's polkit action (build/linux/org.netloom.helper.policy). */
export const POLKIT_ACTION_FILE = '/usr/share/polkit-1/actions/org.netloom.helper.policy';
const PKEXEC = '/usr/bin/pkexec';
const STDERR_LIMIT = 4096;

/**
 * The launcher the polkit action names, when this is an installed package that has one: then
 * pkexec runs it directly, with an argv and no shell in between, and the prompt shows
 * netloom's own message. Otherwise (AppImage, a source checkout) null: sudo-prompt asks.
 */
export function installedLauncher(opts: { isPackaged: boolean; resourcesPath: string; exists: (path: string) => boolean }): string | null {
  if (!opts.isPackaged) return null;
  const launcher = join(opts.resourcesPath, 'helper', 'netloom-helper');
  return opts.exists(POLKIT_ACTION_FILE) && opts.exists(PKEXEC) && opts.exists(launcher) ? launcher : null;
}

/**
 * `pkexec LAUNCHER --connect SOCKET --token-file FILE` as an ElevatedRunner. pkexec's exit
 * codes (pkexec(1)): 126 — the person dismissed the prompt; 127 — not authorized or no
 * authentication agent. They become the sentences classifySudoError reads as refused.
 */
export function pkexecRunner(launcher: string, spawn: SpawnFn): ElevatedRunner {
  return (paths, done) => {
    const child = spawn(PKEXEC, [launcher, '--connect', paths.socketPath, '--token-file', paths.tokenFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      if (stderr.length < STDERR_LIMIT) stderr += b.toString('utf8').slice(0, STDERR_LIMIT - stderr.length);
    });
    let finished = false;
    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      done(error, '', stderr);
    };
    child.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ENOENT' ? new Error('Unable to find pkexec') : e));
    child.on('exit', (code: number | null) => {
      if (code === 0) return finish();
      if (code === 126) return finish(new Error('User did not grant permission.'));
      if (code === 127 && /authentication agent/i.test(stderr)) return finish(new Error('No polkit authentication agent found.'));
      if (code === 127 && /not authorized/i.test(stderr)) return finish(new Error('User did not grant permission.'));
      finish(new Error(stderr.trim() || `pkexec exited with code ${code}`));
    });
  };
}
