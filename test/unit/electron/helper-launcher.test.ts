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

describe('the helper runtime (issue 13 item 9: fuses turn the packaged binary\'s RunAsNode off)', () => {
  it('packaged: the Node.js shipped beside the helper, with no ELECTRON_RUN_AS_NODE; unpackaged: Electron as Node', async () => {
    const { helperRuntime } = await import('../../../electron/helper-runtime.js');
    const { helperCommand } = await import('../../../electron/helper-launcher.js');
    const { elevatedCommand } = await import('../../../electron/helper-elevated.js');
    const packaged = helperRuntime({ isPackaged: true }, '/opt/netloom/resources', '/opt/netloom/netloom');
    expect(packaged).toEqual({ execPath: '/opt/netloom/resources/helper/node', runAsNode: false });
    const cmd = helperCommand({ ...packaged, bundlePath: '/opt/netloom/resources/helper/netloom.cjs', env: { PATH: '/usr/bin' } });
    expect(cmd).toEqual({ command: '/opt/netloom/resources/helper/node', args: ['/opt/netloom/resources/helper/netloom.cjs', 'helper', '--stdio'], env: { PATH: '/usr/bin' } });
    expect(elevatedCommand({ ...packaged, bundlePath: '/b/netloom.cjs', socketPath: '/s', tokenFile: '/t' })).toBe("'/opt/netloom/resources/helper/node' '/b/netloom.cjs' helper --connect '/s' --token-file '/t'");
    const dev = helperRuntime({ isPackaged: false }, '/x', '/repo/node_modules/electron/dist/electron');
    expect(helperCommand({ ...dev, bundlePath: '/b', env: {} }).env).toEqual({ ELECTRON_RUN_AS_NODE: '1' });
  });
});
