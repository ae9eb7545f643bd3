import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHelperSocketServer, tokenMatches } from '../../../electron/helper-socket.js';
import type { HelperSocketServer } from '../../../electron/helper-socket.js';

let base: string;
let server: HelperSocketServer | null = null;
const sockets: Socket[] = [];
let logs: string[] = [];

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'netloom-sock-test-'));
  logs = [];
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = null;
  rmSync(base, { recursive: true, force: true });
});

async function start(authTimeoutMs = 2000): Promise<HelperSocketServer> {
  server = await createHelperSocketServer({ runtimeDir: base, authTimeoutMs, log: (l) => logs.push(l) });
  return server;
}

/** A peer: connects, optionally sends `first`, collects what main sends, notices the close. */
function peer(path: string, first?: string) {
  const sock = connect(path);
  sockets.push(sock);
  let got = '';
  sock.setEncoding('utf8');
  sock.on('data', (t: string) => (got += t));
  sock.on('error', () => {});
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  if (first !== undefined) sock.write(first);
  return { sock, closed, received: () => got };
}

const authLine = (token: string) => JSON.stringify({ auth: { token } }) + '\n';
const tokenOf = (s: HelperSocketServer) => readFileSync(s.tokenFile, 'utf8').trim();

describe('helper socket (DESIGN §8)', () => {
  it('makes a 0700 directory with a 0600 one-time token of 256 random bits', async () => {
    const s = await start();
    expect(s.dir.startsWith(join(base, 'netloom-'))).toBe(true);
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(statSync(s.tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(s.socketPath).isSocket()).toBe(true);
    expect(tokenOf(s)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the peer with the token; text flows both ways, the init riding in with the auth', async () => {
    const s = await start();
    const p = peer(s.socketPath, authLine(tokenOf(s)) + '{"init":{"version":1,"capabilities":[]}}\n');
    const conn = await s.connection;
    let text = '';
    conn.onText((t) => (text += t));
    await expect.poll(() => text).toBe('{"init":{"version":1,"capabilities":[]}}\n');
    conn.send('{"id":1,"method":"topology.get"}\n');
    await expect.poll(() => p.received()).toBe('{"id":1,"method":"topology.get"}\n');
    p.sock.write('{"id":1,"result":{}}\n');
    await expect.poll(() => text).toContain('"result"');
    // The token is one-time: gone once used.
    expect(existsSync(s.tokenFile)).toBe(false);
  });

  it('refuses and logs a wrong token, and still accepts the right one afterwards', async () => {
    const s = await start();
    const bad = peer(s.socketPath, authLine('0'.repeat(64)));
    await bad.closed;
    expect(logs).toContain('refused a helper connection: wrong token');
    const junk = peer(s.socketPath, 'hello\n');
    await junk.closed;
    expect(logs).toContain('refused a helper connection: the first line is not JSON');
    const extra = peer(s.socketPath, JSON.stringify({ auth: { token: tokenOf(s) }, more: 1 }) + '\n');
    await extra.closed;
    expect(logs.at(-1)).toMatch(/not \{"auth"/);
    peer(s.socketPath, authLine(tokenOf(s)));
    await expect(s.connection).resolves.toBeDefined();
  });

  it('refuses a second peer once one is connected, even with the right token', async () => {
    const s = await start();
    const token = tokenOf(s);
    peer(s.socketPath, authLine(token));
    const conn = await s.connection;
    const second = peer(s.socketPath, authLine(token));
    await second.closed;
    expect(second.received()).toBe('');
    expect(logs).toContain('refused a helper connection: the helper is already connected');
    let closedWith = '';
    conn.onClose((r) => (closedWith = r));
    expect(closedWith).toBe('');
  });

  it('refuses a peer that sends no token in time, or an endless first line', async () => {
    const s = await start(100);
    const silent = peer(s.socketPath);
    await silent.closed;
    expect(logs).toContain('refused a helper connection: no token within 100 ms');
    const endless = peer(s.socketPath, 'x'.repeat(5000));
    await endless.closed;
    expect(logs).toContain('refused a helper connection: the first line is too long to be a token');
  });

  it('removes its directory when the connection ends, and when it stops waiting', async () => {
    const s = await start();
    const p = peer(s.socketPath, authLine(tokenOf(s)));
    const conn = await s.connection;
    const reason = new Promise<string>((r) => conn.onClose(r));
    p.sock.end();
    expect(await reason).toBe('the helper closed its connection');
    await expect.poll(() => existsSync(s.dir)).toBe(false);

    const t = await start();
    await t.close('gave up');
    await expect(t.connection).rejects.toThrow('gave up');
    expect(existsSync(t.dir)).toBe(false);
  });

  it('close() ends the socket and resolves when the peer hangs up', async () => {
    const s = await start();
    const p = peer(s.socketPath, authLine(tokenOf(s)));
    p.sock.on('end', () => p.sock.end());
    const conn = await s.connection;
    await conn.close();
    await p.closed;
  });

  it('compares tokens by hash, whatever their lengths', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', 'abc'.repeat(100))).toBe(false);
  });
});
