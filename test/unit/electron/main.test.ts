import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The app lifecycle with Electron and child_process mocked at the boundary. */
const m = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const state = {
    lock: true,
    appHandlers: new Map<string, Listener>(),
    children: [] as (EventEmitter & { stdin: PassThrough; stdout: PassThrough; stderr: PassThrough; stdio: [PassThrough, PassThrough, PassThrough, import('node:stream').Duplex]; fd3Written: string[]; signals: string[]; kill(s: string): void })[],
    spawnCalls: [] as unknown[][],
    ready: null as null | (() => void),
    handles: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    sent: [] as [string, unknown][],
  };
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: () => state.lock,
    enableSandbox: vi.fn(),
    quit: vi.fn(),
    on: (event: string, l: Listener) => void state.appHandlers.set(event, l),
    whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
    getAppPath: () => '/src/netloom',
    getPath: () => '/nonexistent-netloom-test-userdata',
  };
  class BrowserWindow {
    webContents = {
      id: 1,
      session: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, webRequest: { onHeadersReceived() {} } },
      on() {},
      send: (channel: string, value: unknown) => void state.sent.push([channel, value]),
      isDestroyed: () => false,
      setWindowOpenHandler() {},
    };
    constructor(public options: unknown) {}
    loadURL = () => Promise.resolve();
    once() {}
    on() {}
  }
  return {
    state,
    electron: {
      app,
      BrowserWindow,
      Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
      ipcMain: { on() {}, removeAllListeners() {}, handle: (c: string, l: (event: unknown, ...args: unknown[]) => unknown) => void state.handles.set(c, l), removeHandler() {} },
      dialog: {},
      nativeTheme: { themeSource: 'system' },
      screen: { getAllDisplays: () => [] },
      shell: { openExternal: vi.fn() },
    },
  };
});
vi.mock('electron', () => m.electron);
// Never a real system prompt from a test; these tests play an app already running as root.
const sudo = vi.hoisted(() => ({ calls: [] as [string, unknown, (e?: Error) => void][] }));
vi.mock('@vscode/sudo-prompt', () => ({ exec: (cmd: string, opts: unknown, cb: (e?: Error) => void) => sudo.calls.push([cmd, opts, cb]) }));
vi.mock('node:child_process', async () => {
  const { EventEmitter } = await import('node:events');
  const { Duplex, PassThrough } = await import('node:stream');
  return {
    spawn: (...args: unknown[]) => {
      m.state.spawnCalls.push(args);
      const [stdin, stdout, stderr] = [new PassThrough(), new PassThrough(), new PassThrough()];
      const child = Object.assign(new EventEmitter(), {
        stdin,
        stdout,
        stderr,
        // fd 3 of the hosts process: one duplex stream, as Node gives a fourth 'pipe' (what main
        // writes is kept in fd3Written; what the process writes is pushed on its read side).
        stdio: [stdin, stdout, stderr, new Duplex({ read() {}, write: (c: Buffer, _e, cb) => (child.fd3Written.push(c.toString()), cb()) })] as [
          PassThrough,
          PassThrough,
          PassThrough,
          InstanceType<typeof Duplex>,
        ],
        fd3Written: [] as string[],
        signals: [] as string[],
        kill(s: string) {
          child.signals.push(s);
        },
      });
      m.state.children.push(child);
      return child;
    },
  };
});

beforeEach(() => {
  vi.resetModules();
  vi.spyOn(process, 'getuid').mockReturnValue(0);
  m.state.lock = true;
  m.state.appHandlers.clear();
  m.state.children.length = 0;
  m.state.spawnCalls.length = 0;
  m.state.ready = null;
  m.state.handles.clear();
  m.state.sent.length = 0;
  m.electron.app.quit.mockClear();
});

/** The helper, then the host layer's `netloom hosts --stdio` (unless NETLOOM_DESKTOP_HOSTS=no). */
async function boot(spawns = 2) {
  await import('../../../electron/main.js');
  m.state.ready!();
  await vi.waitFor(() => expect(m.state.spawnCalls).toHaveLength(spawns));
}

describe('electron main', () => {
  it('enables the sandbox for all renderers and starts one helper from the built bundle', async () => {
    await boot();
    expect(m.electron.app.enableSandbox).toHaveBeenCalled();
    const [command, args, options] = m.state.spawnCalls[0] as [string, string[], { env: Record<string, string> }];
    expect(command).toBe(process.execPath);
    expect(args).toEqual(['/src/netloom/out/helper/netloom.cjs', 'helper', '--stdio']);
    expect(options.env['ELECTRON_RUN_AS_NODE']).toBe('1');
  });

  it('starts the host layer as the user from the same bundle and runtime, the core on its fd 3', async () => {
    // ssh there is the person's: their agent's socket (and the rest of main's environment) goes along.
    vi.stubEnv('SSH_AUTH_SOCK', '/run/user/1000/ssh-agent.sock');
    await boot();
    vi.unstubAllEnvs();
    const [command, args, options] = m.state.spawnCalls[1] as [string, string[], { env: Record<string, string>; stdio: string[] }];
    expect(command).toBe(process.execPath);
    expect(args).toEqual(['/src/netloom/out/helper/netloom.cjs', 'hosts', '--stdio']);
    expect(options.env['ELECTRON_RUN_AS_NODE']).toBe('1');
    expect(options.env['SSH_AUTH_SOCK']).toBe('/run/user/1000/ssh-agent.sock');
    expect(options.stdio).toEqual(['pipe', 'pipe', 'pipe', 'pipe']);
    // The core's init goes to the hosts process's fd 3, not to the page.
    m.state.children[0]!.stdout.write('{"init":{"version":"1","capabilities":[]}}\n');
    await vi.waitFor(() => expect(m.state.children[1]!.fd3Written.join('')).toBe('{"init":{"version":"1","capabilities":[]}}\n'));
    // And its requests on fd 3 go to the helper.
    const toHelper: string[] = [];
    m.state.children[0]!.stdin.on('data', (d: Buffer) => toHelper.push(d.toString()));
    m.state.children[1]!.stdio[3].push('{"id":"r1","method":"topology.get","params":{}}\n');
    await vi.waitFor(() => expect(toHelper.join('')).toBe('{"id":"r1","method":"topology.get","params":{}}\n'));
  });

  it('NETLOOM_DESKTOP_HOSTS=no runs without the host layer: one helper, as before it', async () => {
    vi.stubEnv('NETLOOM_DESKTOP_HOSTS', 'no');
    try {
      await boot(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(m.state.spawnCalls).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('holds the quit until the helper and the hosts process are gone, then quits', async () => {
    await boot();
    const [child, hostsChild] = [m.state.children[0]!, m.state.children[1]!];
    const ended: string[] = [];
    child.stdin.on('finish', () => ended.push('helper'));
    hostsChild.stdin.on('finish', () => ended.push('hosts'));
    const event = { preventDefault: vi.fn() };
    m.state.appHandlers.get('will-quit')!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(ended.sort()).toEqual(['helper', 'hosts']));
    child.emit('exit', 0, null);
    await new Promise((r) => setTimeout(r, 20));
    expect(m.electron.app.quit).not.toHaveBeenCalled();
    hostsChild.emit('exit', 0, null);
    await vi.waitFor(() => expect(m.electron.app.quit).toHaveBeenCalledTimes(1));
    const again = { preventDefault: vi.fn() };
    m.state.appHandlers.get('will-quit')!(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
    expect(m.state.spawnCalls).toHaveLength(2);
  });

  it('denies new windows and <webview> for any web contents', async () => {
    await boot();
    let openHandler: (() => unknown) | null = null;
    let attach: ((e: { preventDefault(): void }) => void) | null = null;
    const contents = {
      setWindowOpenHandler: (h: () => unknown) => (openHandler = h),
      on: (_e: string, l: (e: { preventDefault(): void }) => void) => (attach = l),
    };
    m.state.appHandlers.get('web-contents-created')!({}, contents);
    expect(openHandler!()).toEqual({ action: 'deny' });
    const e = { preventDefault: vi.fn() };
    attach!(e);
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('quits when its window is closed', async () => {
    await boot();
    m.state.appHandlers.get('window-all-closed')!();
    expect(m.electron.app.quit).toHaveBeenCalled();
  });

  it('as a user, opens at once on the unprivileged helper while the system prompt is up; a refusal keeps it, "Grant access" asks again', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    sudo.calls.length = 0;
    await import('../../../electron/main.js');
    m.state.ready!();
    // The window's helper does not wait for the prompt.
    await vi.waitFor(() => expect(m.state.spawnCalls).toHaveLength(2));
    expect((m.state.spawnCalls[0] as [string, string[]])[1]).toEqual(['/src/netloom/out/helper/netloom.cjs', 'helper', '--stdio']);
    await vi.waitFor(() => expect(sudo.calls).toHaveLength(1));
    const [cmd, opts, cb] = sudo.calls[0]!;
    expect(opts).toEqual({ name: 'netloom' });
    expect(cmd).toMatch(/^ELECTRON_RUN_AS_NODE=1 '.+' '\/src\/netloom\/out\/helper\/netloom.cjs' helper --connect '.+\/helper.sock' --token-file '.+\/token'$/);
    expect(m.state.sent).toContainEqual(['netloom:privilege-changed', { state: 'asking', reason: null }]);
    cb(new Error('User did not grant permission.'));
    await vi.waitFor(() => expect(m.state.sent).toContainEqual(['netloom:privilege-changed', { state: 'unprivileged', reason: 'privileges refused at the system prompt' }]));
    // Refused: no restart of the window's helper, no second prompt.
    expect(m.state.spawnCalls).toHaveLength(2);
    expect(m.state.children[0]!.signals).toEqual([]);
    expect(sudo.calls).toHaveLength(1);
    // "Grant access" from our page asks once more; from anywhere else, nothing.
    await m.state.handles.get('netloom:grant-access')!({ sender: { id: 99 }, senderFrame: null });
    expect(sudo.calls).toHaveLength(1);
    const page = { sender: { id: 1 }, senderFrame: { parent: null, url: pathToFileURL(join(__dirname, '../../../renderer/index.html')).href } };
    await m.state.handles.get('netloom:grant-access')!(page);
    await vi.waitFor(() => expect(sudo.calls).toHaveLength(2));
    expect(m.state.spawnCalls).toHaveLength(2);
    expect(await m.state.handles.get('netloom:privilege')!(page)).toEqual({ state: 'asking', reason: null });
  });

  it('a second instance quits at once and starts nothing', async () => {
    m.state.lock = false;
    await import('../../../electron/main.js');
    expect(m.electron.app.quit).toHaveBeenCalled();
    expect(m.state.ready).toBeNull();
    expect(m.state.appHandlers.size).toBe(0);
    expect(m.state.spawnCalls).toHaveLength(0);
  });
});
