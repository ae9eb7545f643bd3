import { exec as shellExec, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HelperClient } from '../../protocol/src/client.js';
import type { HelperConnection } from '../../electron/helper-connection.js';
import { launchElevatedHelper } from '../../electron/helper-elevated.js';
import type { SudoExec } from '../../electron/helper-elevated.js';
import { createHelperSocketServer } from '../../electron/helper-socket.js';
import type { HelperSocketServer } from '../../electron/helper-socket.js';
import { assertInSandbox } from '../sandbox.js';

/**
 * DESIGN §8's privileged path with the real helper bundle (node scripts/build.mjs
 * --helper-only): main's socket server in this process, the helper as a child that
 * connects back with the one-time token.
 */
const BUNDLE = join(__dirname, '../../out/helper/netloom.cjs');

let base: string;
let server: HelperSocketServer | null = null;
const children: ChildProcess[] = [];
let logs: string[] = [];

beforeAll(() => assertInSandbox());
afterEach(async () => {
  await server?.close();
  server = null;
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

async function start(): Promise<HelperSocketServer> {
  base = mkdtempSync(join(tmpdir(), 'netloom-sock-it-'));
  logs = [];
  server = await createHelperSocketServer({ runtimeDir: base, log: (l) => logs.push(l) });
  return server;
}

function helper(socket: string, tokenFile: string) {
  const child = spawn(process.execPath, [BUNDLE, 'helper', '--connect', socket, '--token-file', tokenFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (t: string) => (stderr += t));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

function clientOver(conn: HelperConnection): HelperClient {
  return new HelperClient({ send: (t) => conn.send(t), onText: (cb) => conn.onText(cb), onClose: (cb) => conn.onClose(cb), close: () => void conn.close() });
}

describe('helper over the authenticated Unix socket', () => {
  it('connects with the token: init, topology.get; the helper exits when the connection closes', async () => {
    const s = await start();
    const h = helper(s.socketPath, s.tokenFile);
    const conn = await s.connection;
    const client = clientOver(conn);
    await expect(client.ready).resolves.toMatchObject({ version: '1' });
    const snap = await client.call('topology.get', {});
    expect(snap.namespaces.length).toBeGreaterThan(0);
    const t0 = Date.now();
    await conn.close();
    expect(await h.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a second helper with a wrong token is refused and exits; the real one still gets in', async () => {
    const s = await start();
    const forged = join(base, 'forged-token');
    writeFileSync(forged, 'ab'.repeat(32) + '\n', { mode: 0o600 });
    const bad = helper(s.socketPath, forged);
    expect(await bad.exited).toBe(0);
    expect(logs).toContain('refused a helper connection: wrong token');
    const good = helper(s.socketPath, s.tokenFile);
    const client = clientOver(await s.connection);
    await client.ready;
    // Anyone after the one peer: refused and logged, even holding a copy of the token.
    const late = helper(s.socketPath, forged);
    await late.exited;
    expect(logs).toContain('refused a helper connection: the helper is already connected');
    good.child.kill('SIGKILL');
  });

  it('the helper refuses a token file others can read', async () => {
    const s = await start();
    const loose = join(base, 'loose-token');
    writeFileSync(loose, readFileSync(s.tokenFile, 'utf8'), { mode: 0o644 });
    const h = helper(s.socketPath, loose);
    expect(await h.exited).toBe(2);
    expect(h.stderr()).toMatch(/readable or writable by others \(mode 644\); refusing it/);
  });

  it('the elevated launch end to end, through a shell as sudo-prompt builds it (paths with spaces)', async () => {
    base = mkdtempSync(join(tmpdir(), 'netloom sock it '));
    const bundleDir = join(base, 'app resources');
    mkdirSync(bundleDir);
    // The loader and the core it runs, as packaging puts them side by side.
    for (const f of ['netloom.cjs', 'netloom-core.cjs']) copyFileSync(join(dirname(BUNDLE), f), join(bundleDir, f));
    const commands: string[] = [];
    // What sudo-prompt does on Linux, minus pkexec: /bin/bash -c "<command, only " escaped>" under /bin/sh.
    const sudoExec: SudoExec = (command, _o, cb) => {
      commands.push(command);
      shellExec(`/bin/bash -c "${command.replace(/"/g, '\\"')}"`, (error, stdout, stderr) => cb(error ?? undefined, stdout, stderr));
    };
    const conn = launchElevatedHelper({ sudoExec, execPath: process.execPath, bundlePath: join(bundleDir, 'netloom.cjs'), log: (l) => logs.push(l), onFailure: () => {}, socket: { runtimeDir: base } });
    const client = clientOver(conn);
    await expect(client.ready).resolves.toMatchObject({ version: '1' });
    expect((await client.call('topology.get', {})).namespaces.length).toBeGreaterThan(0);
    expect(commands[0]).toContain(`'${join(bundleDir, 'netloom.cjs')}'`);
    await conn.close();
  });
});
