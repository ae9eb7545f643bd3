import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifySudoError, elevatedCommand, launchElevatedHelper, shellQuote } from '../../../electron/helper-elevated.js';
import type { SudoExec } from '../../../electron/helper-elevated.js';
import { ElevationState, grantAccess, launchHelper } from '../../../electron/helper-launcher.js';
import type { SpawnFn } from '../../../electron/helper-stdio.js';
import { HelperSupervisor } from '../../../electron/helper-supervisor.js';

let base: string;
let savedRuntime: string | undefined;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'netloom-elev-test-'));
  savedRuntime = process.env['XDG_RUNTIME_DIR'];
  process.env['XDG_RUNTIME_DIR'] = base;
});
afterEach(() => {
  if (savedRuntime === undefined) delete process.env['XDG_RUNTIME_DIR'];
  else process.env['XDG_RUNTIME_DIR'] = savedRuntime;
  rmSync(base, { recursive: true, force: true });
});

/** The socket and token file out of the command (our own quoting: '…'). */
function argsOf(command: string) {
  const quoted = [...command.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  return { execPath: quoted[0]!, bundle: quoted[1]!, socket: quoted[2]!, tokenFile: quoted[3]! };
}

const REFUSED = new Error('User did not grant permission.');

describe('the command pkexec runs', () => {
  it('quotes every path (spaces are fine) and sets Node mode inside the command', () => {
    const cmd = elevatedCommand({ execPath: '/opt/Net Loom/netloom', bundlePath: '/opt/Net Loom/resources/helper/netloom.cjs', socketPath: '/run/user/1000/netloom-Ab12/helper.sock', tokenFile: '/run/user/1000/netloom-Ab12/token' });
    expect(cmd).toBe(
      "ELECTRON_RUN_AS_NODE=1 '/opt/Net Loom/netloom' '/opt/Net Loom/resources/helper/netloom.cjs' helper --connect '/run/user/1000/netloom-Ab12/helper.sock' --token-file '/run/user/1000/netloom-Ab12/token'",
    );
  });

  it('letters beyond ASCII are fine', () => {
    expect(shellQuote('/home/José/Téléchargements/netloom')).toBe("'/home/José/Téléchargements/netloom'");
  });

  it.each(["/opt/it's/netloom", '/opt/$(reboot)/x', '/opt/`id`/x', '/opt/a"b', '/opt/a\\b', '/opt/a\nb', 'relative/path', '/opt/a;b', '/opt/a\tb', '/opt/a\u0000b', '/opt/*', '/opt/a|b', '/opt/a&b', '/opt/a>b', '/opt/~x', ''])(
    'refuses %j',
    (bad) => {
      expect(() => shellQuote(bad)).toThrow(/refusing to pass/);
      expect(() => elevatedCommand({ execPath: '/e', bundlePath: bad, socketPath: '/s', tokenFile: '/t' })).toThrow(/refusing/);
    },
  );

  it("reads sudo-prompt's errors", () => {
    expect(classifySudoError(undefined)).toBeNull();
    expect(classifySudoError(REFUSED)).toBe('refused');
    expect(classifySudoError(new Error('No polkit authentication agent found.'))).toBe('refused');
    expect(classifySudoError(new Error('Unable to find pkexec or kdesudo.'))).toBe('unavailable');
    expect(classifySudoError(new Error('Command failed: exit 1'))).toBeNull();
  });
});

describe('launchElevatedHelper', () => {
  it('the granted helper connects back with the token and becomes the connection', async () => {
    let callback: Parameters<SudoExec>[2] | null = null;
    const sudoExec = vi.fn<SudoExec>((command, _opts, cb) => {
      callback = cb;
      const { socket, tokenFile } = argsOf(command);
      // Plays the root helper: read the token, connect, auth, then init.
      const sock = connect(socket, () => sock.write(JSON.stringify({ auth: { token: readFileSync(tokenFile, 'utf8').trim() } }) + '\n{"init":{}}\n'));
      sock.setEncoding('utf8');
      sock.on('data', (t: string) => sock.write(`echo:${t}`));
      sock.on('end', () => sock.end());
    });
    const conn = launchElevatedHelper({ sudoExec, execPath: process.execPath, bundlePath: '/b/netloom.cjs', log: () => {}, onFailure: vi.fn() });
    let text = '';
    conn.onText((t) => (text += t));
    conn.send('{"id":1}\n'); // before the helper connected: queued
    await expect.poll(() => text).toBe('{"init":{}}\necho:{"id":1}\n');
    expect(sudoExec).toHaveBeenCalledTimes(1);
    expect(sudoExec.mock.calls[0]![1]).toEqual({ name: 'netloom' });
    const dir = dirname(argsOf(sudoExec.mock.calls[0]![0]).socket);
    expect(dir.startsWith(join(base, 'netloom-'))).toBe(true);
    const reason = new Promise<string>((r) => conn.onClose(r));
    await conn.close();
    expect(await reason).toBe('the helper closed its connection');
    callback!(undefined, '', '');
    await expect.poll(() => existsSync(dir)).toBe(false);
  });

  it('a refusal closes the connection with a reason, tells onFailure and cleans up', async () => {
    let command = '';
    const onFailure = vi.fn();
    const conn = launchElevatedHelper({
      sudoExec: (cmd, _o, cb) => {
        command = cmd;
        setTimeout(() => cb(REFUSED), 5);
      },
      execPath: process.execPath,
      bundlePath: '/b',
      log: () => {},
      onFailure,
    });
    const reason = await new Promise<string>((r) => conn.onClose(r));
    expect(reason).toBe('privileges refused at the system prompt');
    expect(onFailure).toHaveBeenCalledWith('refused', 'privileges refused at the system prompt');
    await expect.poll(() => existsSync(dirname(argsOf(command).socket))).toBe(false);
  });

  it('a path it will not quote: no prompt, and no asking again', async () => {
    const sudoExec = vi.fn<SudoExec>();
    const onFailure = vi.fn();
    const conn = launchElevatedHelper({ sudoExec, execPath: '/opt/$HOME/netloom', bundlePath: '/b', log: () => {}, onFailure });
    expect(await new Promise<string>((r) => conn.onClose(r))).toMatch(/could not be started: refusing to pass "\/opt\/\$HOME\/netloom"/);
    expect(onFailure).toHaveBeenCalledWith('unavailable', expect.stringMatching(/refusing to pass/));
    expect(sudoExec).not.toHaveBeenCalled();
  });

  it('a helper that exits before connecting closes with its stderr', async () => {
    const conn = launchElevatedHelper({ sudoExec: (_c, _o, cb) => cb(new Error('Command failed'), '', 'netloom helper: cannot connect\n'), execPath: '/e', bundlePath: '/b', log: () => {}, onFailure: vi.fn() });
    expect(await new Promise<string>((r) => conn.onClose(r))).toBe('the privileged helper exited before connecting: netloom helper: cannot connect');
  });
});

function fakeChild(): ChildProcess {
  const child = new EventEmitter() as unknown as ChildProcess;
  const stdin = new PassThrough();
  Object.assign(child, { stdin, stdout: new PassThrough(), stderr: new PassThrough(), kill: vi.fn() });
  // Like the real helper: exits when its input closes.
  stdin.on('finish', () => child.emit('exit', 0, null));
  stdin.resume();
  return child;
}

describe('refusal and the supervisor', () => {
  it('asks once: after a refusal restarts bring up the unprivileged helper, until "Grant access"', async () => {
    const sudoExec = vi.fn<SudoExec>((_c, _o, cb) => setTimeout(() => cb(REFUSED), 1));
    const children: ChildProcess[] = [];
    const spawn = vi.fn<SpawnFn>(() => {
      const c = fakeChild();
      children.push(c);
      return c;
    });
    const state = new ElevationState();
    const crashes: string[] = [];
    const sup = new HelperSupervisor(
      () => launchHelper({ spawn, execPath: '/e', bundlePath: '/b', env: {}, uid: 1000, log: () => {}, elevation: { sudoExec, state } }),
      { onText: () => {}, onCrash: (r) => crashes.push(r) },
    );
    sup.start();
    await expect.poll(() => crashes).toEqual(['privileges refused at the system prompt; continuing without privileges']);
    expect(state.reason).toBe('privileges refused at the system prompt');
    // At once (no backoff), the unprivileged helper on stdio, not a second prompt.
    await expect.poll(() => spawn.mock.calls.length, { timeout: 200 }).toBe(1);
    expect(spawn.mock.calls[0]![1]).toEqual(['/b', 'helper', '--stdio']);
    await sup.restart();
    expect(spawn).toHaveBeenCalledTimes(2);
    expect(sudoExec).toHaveBeenCalledTimes(1);
    // "Grant access": one more prompt.
    await grantAccess(state, sup);
    expect(state.shouldAsk).toBe(true);
    await expect.poll(() => sudoExec.mock.calls.length).toBe(2);
    await sup.stop();
  });

  it('no pkexec at all: the same fallback, with its own reason', async () => {
    const state = new ElevationState();
    const spawn = vi.fn<SpawnFn>(() => fakeChild());
    const conn = launchHelper({ spawn, execPath: '/e', bundlePath: '/b', env: {}, uid: 1000, log: () => {}, elevation: { sudoExec: (_c, _o, cb) => cb(new Error('Unable to find pkexec or kdesudo.')), state } });
    expect(await new Promise<string>((r) => conn.onClose(r))).toBe('no privilege prompt (pkexec) on this system');
    expect(state.shouldAsk).toBe(false);
    launchHelper({ spawn, execPath: '/e', bundlePath: '/b', env: {}, uid: 1000, log: () => {}, elevation: { sudoExec: () => {}, state } });
    expect(spawn).toHaveBeenCalledTimes(1);
  });

  it('root never prompts', () => {
    const sudoExec = vi.fn<SudoExec>();
    const spawn = vi.fn<SpawnFn>(() => fakeChild());
    launchHelper({ spawn, execPath: '/e', bundlePath: '/b', env: {}, uid: 0, log: () => {}, elevation: { sudoExec, state: new ElevationState() } });
    expect(sudoExec).not.toHaveBeenCalled();
    expect(spawn).toHaveBeenCalledTimes(1);
  });
});
