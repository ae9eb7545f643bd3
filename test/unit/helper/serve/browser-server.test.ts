import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserServer } from '../../../../helper/serve/browser-server.js';
import type { BrowserServer } from '../../../../helper/serve/browser-server.js';
import { LiveTopology } from '../../../../helper/watch/live-topology.js';
import { fakeContext, FakeSource, snapshotWith } from '../server/fakes.js';
import { Methods } from '../../../../protocol/src/methods.js';
import { TAKEN_OVER_CLOSE_CODE, TAKEN_OVER_REASON } from '../../../../protocol/src/browser-mode.js';

let srv: BrowserServer;
let root: string;
/** `netloom_PORT=SESSION`, once the printed URL's token was exchanged. */
let session = '';

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'netloom-serve-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><script src="/assets/app.js"></script>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'root password');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  const live = new LiveTopology(new FakeSource(snapshotWith(['host'])), () => ({ stop: () => {}, monitorCount: () => 0 }));
  srv = await startBrowserServer({ port: 0, rendererDir: root, ctx: fakeContext(live) });
});
afterAll(async () => srv.close());

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the first message, or rejects with the refusal. */
function wsFirstMessage(path: string, origin?: string, cookie = session): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}${path}`, { ...(origin === undefined ? {} : { origin }), headers: cookie === '' ? {} : { Cookie: cookie } });
    ws.on('message', (d) => {
      resolve(String(d));
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => {
      reject(new Error(`refused ${res.statusCode}`));
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}

describe('netloom serve', () => {
  it('binds 127.0.0.1 only', async () => {
    expect(srv.address).toBe('127.0.0.1');
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    for (const host of ['::1', ...(other ? [other.address] : [])]) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host, port: srv.port });
        s.on('connect', () => (s.destroy(), resolve(false)));
        s.on('error', () => resolve(true));
      });
      expect(refused, host).toBe(true);
    }
  });

  it('refuses a page without a token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=nope')).status).toBe(403);
    expect((await get(`/?token=${srv.token}x`)).status).toBe(403);
    expect((await get('/assets/app.js')).status).toBe(403);
    expect(srv.tokenSpent).toBe(false);
  });

  it('refuses a foreign Host header even with the token (DNS rebinding), without spending it', async () => {
    expect((await get(`/?token=${srv.token}`, { Host: `evil.example:${srv.port}` })).status).toBe(403);
    expect(srv.tokenSpent).toBe(false);
  });

  it('exchanges the token once: a 303 to the same page without it, and an HttpOnly SameSite=Strict session cookie named for the port', async () => {
    const r = await get(`/?token=${srv.token}&x=1`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/?x=1');
    const cookie = r.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^netloom_${srv.port}=[\\w-]{32}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(cookie).not.toContain(srv.token);
    session = cookie.split(';')[0] ?? '';
    expect(srv.tokenSpent).toBe(true);
  });

  it("refuses the spent token to anyone without the session, and sends the session's own browser on", async () => {
    const again = await get(`/?token=${srv.token}`);
    expect(again.status).toBe(403);
    expect(again.body).toMatch(/already used/);
    expect(again.headers['set-cookie']).toBeUndefined();
    const same = await get(`/?token=${srv.token}`, { Cookie: session });
    expect(same.status).toBe(303);
    expect(same.headers['set-cookie']).toBeUndefined();
  });

  it('serves the page and assets to the session, with a strict CSP', async () => {
    const r = await get('/', { Cookie: session });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${srv.port}`);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const asset = await get('/assets/app.js', { Cookie: session });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/style.css', { Cookie: session })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/app.js', { Cookie: `netloom_${srv.port}=wrong` })).status).toBe(403);
    // The same value under another port's name is not this server's session.
    expect((await get('/assets/app.js', { Cookie: session.replace(`netloom_${srv.port}`, `netloom_${srv.port + 1}`) })).status).toBe(403);
  });

  it('never serves a file outside the renderer directory', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/link.txt', '/%00', '/assets/..%5c..%5csecret.txt']) {
      const r = await get(p, { Cookie: session });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('root password');
    }
  });

  it('refuses WebSockets with a wrong, foreign-port or missing Origin, or without the session', async () => {
    const good = `http://127.0.0.1:${srv.port}`;
    await expect(wsFirstMessage('/ws', 'http://evil.example')).rejects.toThrow('403');
    await expect(wsFirstMessage('/ws', `http://127.0.0.1:${srv.port + 1}`)).rejects.toThrow('403');
    await expect(wsFirstMessage('/ws', `http://localhost:${srv.port}`)).rejects.toThrow('403');
    await expect(wsFirstMessage('/ws')).rejects.toThrow('403');
    await expect(wsFirstMessage('/ws', good, `netloom_${srv.port}=wrong`)).rejects.toThrow('403');
    await expect(wsFirstMessage('/ws', good, '')).rejects.toThrow('403');
    // The token itself is no key to the WebSocket: only the session is.
    await expect(wsFirstMessage(`/ws?token=${srv.token}`, good, '')).rejects.toThrow('403');
  });

  it('accepts the session and Origin and speaks the protocol: init first', async () => {
    const first = await wsFirstMessage('/ws', `http://127.0.0.1:${srv.port}`);
    expect(JSON.parse(first)).toEqual({ init: { version: '1', capabilities: Object.keys(Methods) } });
  });

  it('one page at a time: a second connection takes over, and the first is closed with 4001 and a reason', async () => {
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/ws`, { origin: `http://127.0.0.1:${srv.port}`, headers: { Cookie: session } });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const first = await open();
    const firstClosed = new Promise<{ code: number; reason: string }>((r) => first.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    const second = await open();
    expect(await firstClosed).toEqual({ code: TAKEN_OVER_CLOSE_CODE, reason: TAKEN_OVER_REASON });
    expect(second.readyState).toBe(WebSocket.OPEN);
    second.close();
  });
});
