import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { chooseHelperStrategy, helperBundlePath, launchHelper } from '../../../electron/helper-launcher.js';
import type { SpawnFn } from '../../../electron/helper-stdio.js';

function fakeChild(): ChildProcess {
  const child = new EventEmitter() as unknown as ChildProcess;
  Object.assign(child, { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), kill: vi.fn() });
  return child;
}

describe('helperBundlePath', () => {
  it('is out/helper in the source tree and resources/helper when packaged', () => {
    expect(helperBundlePath({ isPackaged: false, getAppPath: () => '/src/netloom' }, '/unused')).toBe('/src/netloom/out/helper/netloom.cjs');
    expect(helperBundlePath({ isPackaged: true, getAppPath: () => '/opt/netloom/resources/app.asar' }, '/opt/netloom/resources')).toBe(
      '/opt/netloom/resources/helper/netloom.cjs',
    );
  });
});

describe('launchHelper', () => {
  it("runs the bundle with Electron's own binary in Node mode, on stdio pipes", () => {
    const spawn = vi.fn<SpawnFn>(() => fakeChild());
    launchHelper({ spawn, execPath: '/opt/netloom/netloom', bundlePath: '/b/netloom.cjs', env: { PATH: '/usr/bin', HOME: '/root' }, uid: 0, log: () => {} });
    expect(spawn).toHaveBeenCalledTimes(1);
    const [command, args, options] = spawn.mock.calls[0]!;
    expect(command).toBe('/opt/netloom/netloom');
    expect(args).toEqual(['/b/netloom.cjs', 'helper', '--stdio']);
    expect(options.env).toEqual({ PATH: '/usr/bin', HOME: '/root', ELECTRON_RUN_AS_NODE: '1' });
    expect(options.stdio).toEqual(['pipe', 'pipe', 'pipe']);
    expect(options).not.toHaveProperty('shell');
  });

  it('as a user (no elevation yet) still starts the helper directly, and says so', () => {
    const spawn = vi.fn<SpawnFn>(() => fakeChild());
    const log = vi.fn();
    expect(chooseHelperStrategy(1000)).toBe('elevate');
    expect(chooseHelperStrategy(0)).toBe('direct');
    launchHelper({ spawn, execPath: '/e', bundlePath: '/b', env: {}, uid: 1000, log });
    expect(spawn).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/not root/);
  });
});
