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

let srv: BrowserServer;
let root: string;

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
function wsFirstMessage(path: string, origin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}${path}`, origin === undefined ? {} : { origin });
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
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    expect((await get(`/?token=${srv.token}`, { Host: `evil.example:${srv.port}` })).status).toBe(403);
  });

  it('serves the page with the token, a strict CSP and an HttpOnly SameSite=Strict cookie', async () => {
    const r = await get(`/?token=${srv.token}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${srv.port}`);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const cookie = r.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await get('/assets/app.js', { Cookie: cookie.split(';')[0] ?? '' });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(`/assets/style.css?token=${srv.token}`)).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/app.js', { Cookie: `netloom_${srv.port}=wrong` })).status).toBe(403);
  });

  it('never serves a file outside the renderer directory', async () => {
    const t = `?token=${srv.token}`;
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/link.txt', '/%00', '/assets/..%5c..%5csecret.txt']) {
      const r = await get(p + t);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('root password');
    }
  });

  it('refuses WebSockets with a wrong, foreign-port or missing Origin, or a wrong token', async () => {
    const good = `http://127.0.0.1:${srv.port}`;
    await expect(wsFirstMessage(`/ws?token=${srv.token}`, 'http://evil.example')).rejects.toThrow('403');
    await expect(wsFirstMessage(`/ws?token=${srv.token}`, `http://127.0.0.1:${srv.port + 1}`)).rejects.toThrow('403');
    await expect(wsFirstMessage(`/ws?token=${srv.token}`, `http://localhost:${srv.port}`)).rejects.toThrow('403');
    await expect(wsFirstMessage(`/ws?token=${srv.token}`)).rejects.toThrow('403');
    await expect(wsFirstMessage('/ws?token=wrong', good)).rejects.toThrow('403');
    await expect(wsFirstMessage('/ws', good)).rejects.toThrow('403');
  });

  it('accepts the right token and Origin and speaks the protocol: init first', async () => {
    const first = await wsFirstMessage(`/ws?token=${srv.token}`, `http://127.0.0.1:${srv.port}`);
    expect(JSON.parse(first)).toEqual({ init: { version: '1', capabilities: Object.keys(Methods) } });
  });
});
