import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classifySudoError } from '../../../electron/helper-elevated.js';
import { POLKIT_ACTION_FILE, installedLauncher, pkexecRunner } from '../../../electron/polkit-launcher.js';

describe('the installed launcher', () => {
  const all = new Set([POLKIT_ACTION_FILE, '/usr/bin/pkexec', '/opt/netloom/resources/helper/netloom-helper']);
  it('is used only in a package whose polkit action, pkexec and launcher are all there', () => {
    expect(installedLauncher({ isPackaged: true, resourcesPath: '/opt/netloom/resources', exists: (p) => all.has(p) })).toBe('/opt/netloom/resources/helper/netloom-helper');
    expect(installedLauncher({ isPackaged: false, resourcesPath: '/opt/netloom/resources', exists: (p) => all.has(p) })).toBeNull();
    expect(installedLauncher({ isPackaged: true, resourcesPath: '/tmp/.mount_netloom/resources', exists: (p) => all.has(p) })).toBeNull();
    expect(installedLauncher({ isPackaged: true, resourcesPath: '/opt/netloom/resources', exists: (p) => p !== POLKIT_ACTION_FILE && all.has(p) })).toBeNull();
  });
});

function fakeSpawn() {
  const calls: [string, readonly string[]][] = [];
  const children: (EventEmitter & { stderr: PassThrough })[] = [];
  const spawn = ((cmd: string, args: readonly string[]) => {
    calls.push([cmd, args]);
    const child = Object.assign(new EventEmitter(), { stderr: new PassThrough() });
    children.push(child);
    return child as unknown as ChildProcess;
  }) as Parameters<typeof pkexecRunner>[1];
  return { spawn, calls, children };
}

describe('pkexec of the launcher', () => {
  const paths = { socketPath: '/run/user/1000/netloom-x/helper.sock', tokenFile: '/run/user/1000/netloom-x/token' };
  const run = (exit: (c: EventEmitter & { stderr: PassThrough }) => void) =>
    new Promise<{ error?: Error; stderr: unknown; argv: [string, readonly string[]] }>((resolve) => {
      const f = fakeSpawn();
      pkexecRunner('/opt/netloom/resources/helper/netloom-helper', f.spawn)(paths, (error, _out, stderr) => resolve({ error, stderr, argv: f.calls[0]! }));
      exit(f.children[0]!);
    });

  it('runs an argv (no shell): pkexec LAUNCHER --connect SOCKET --token-file FILE', async () => {
    const r = await run((c) => c.emit('exit', 0));
    expect(r.argv).toEqual(['/usr/bin/pkexec', ['/opt/netloom/resources/helper/netloom-helper', '--connect', paths.socketPath, '--token-file', paths.tokenFile]]);
    expect(r.error).toBeUndefined();
  });

  it('dismissed (126), not authorized or no agent (127), no pkexec: what classifySudoError reads', async () => {
    expect(classifySudoError((await run((c) => c.emit('exit', 126))).error)).toBe('refused');
    const noAgent = await run((c) => {
      c.stderr.write('Error executing command as another user: No authentication agent found.\n');
      setTimeout(() => c.emit('exit', 127), 5);
    });
    expect(classifySudoError(noAgent.error)).toBe('refused');
    const missing = await run((c) => c.emit('error', Object.assign(new Error('spawn /usr/bin/pkexec ENOENT'), { code: 'ENOENT' })));
    expect(classifySudoError(missing.error)).toBe('unavailable');
    const crashed = await run((c) => {
      c.stderr.write('helper: bad token file\n');
      setTimeout(() => c.emit('exit', 1), 5);
    });
    expect(classifySudoError(crashed.error)).toBeNull();
    expect(crashed.error?.message).toBe('helper: bad token file');
  });
});
