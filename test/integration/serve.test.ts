import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HelperClient } from '../../protocol/src/client.js';
import type { Transport } from '../../protocol/src/client.js';
import { assertInSandbox } from '../sandbox.js';

// `netloom serve` as people start it: the built bundle, a printed URL, then the checks a
// hostile page or local process would run into.

const root = join(__dirname, '..', '..');
let serve: ChildProcessWithoutNullStreams;
let url: URL;
let port: number;
let token: string;
/** The session cookie the one-time token became. */
let cookie = '';

/** Opens a WebSocket; messages that arrive with the handshake are kept for `wsTransport`. */
function wsOpen(path: string, origin?: string, withCookie = cookie): Promise<WebSocket & { early: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = Object.assign(new WebSocket(`ws://127.0.0.1:${port}${path}`, { ...(origin === undefined ? {} : { origin }), headers: withCookie === '' ? {} : { Cookie: withCookie } }), { early: [] as string[] });
    // ws emits a message that came in the same packet as the handshake right after 'open'.
    const keep = (d: unknown): void => void ws.early.push(String(d));
    ws.on('message', keep);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`refused ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
}

function wsTransport(ws: WebSocket & { early: string[] }): Transport {
  return {
    send: (t) => ws.send(t),
    onText: (cb) => {
      ws.removeAllListeners('message');
      for (const t of ws.early.splice(0)) cb(t);
      ws.on('message', (d) => cb(String(d)));
    },
    onClose: (cb) => void ws.on('close', () => cb('closed')),
    close: () => ws.close(),
  };
}

beforeAll(async () => {
  assertInSandbox();
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--helper-only'], { stdio: 'ignore' });
  serve = spawn(process.execPath, [join(root, 'out/helper/netloom.cjs'), 'serve', '--port', '0', '--no-open'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(out.slice(0, nl));
    });
    serve.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const m = /^netloom is at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(line);
  expect(m, line).not.toBeNull();
  url = new URL(m![1]!);
  port = Number(url.port);
  token = url.searchParams.get('token')!;
});

afterAll(() => {
  if (serve.exitCode === null) serve.kill('SIGKILL');
});

describe('netloom serve (built)', () => {
  it('prints a 32-character token and listens on 127.0.0.1 only', () => {
    expect(token).toMatch(/^[\w-]{32}$/);
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const listening = ['/proc/net/tcp', '/proc/net/tcp6']
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(1))
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[1]?.endsWith(`:${hexPort}`) && c[3] === '0A')
      .map((c) => c[1]);
    expect(listening).toEqual([`0100007F:${hexPort}`]);
  });

  it('refuses pages without the right token; the right one works once and becomes a session cookie', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${port}/?token=wrong`)).status).toBe(403);
    const good = await fetch(url, { redirect: 'manual' });
    expect(good.status).toBe(303);
    cookie = (good.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^netloom_${port}=`));
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(403);
    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { Cookie: cookie } });
    // 200 with the renderer built, 503 "run npm run build" without: never 403.
    expect([200, 503]).toContain(page.status);
    expect(page.headers.get('content-security-policy')).toContain(`ws://127.0.0.1:${port}`);
  });

  it('refuses WebSockets from other origins, other loopback ports, without Origin or without the session', async () => {
    await expect(wsOpen('/ws', 'https://example.com')).rejects.toThrow('403');
    await expect(wsOpen('/ws', `http://127.0.0.1:${port === 65535 ? 1 : port + 1}`)).rejects.toThrow('403');
    await expect(wsOpen('/ws')).rejects.toThrow('403');
    await expect(wsOpen(`/ws?token=${token}`, `http://127.0.0.1:${port}`, '')).rejects.toThrow('403');
  });

  it('serves the protocol to the session and Origin: init, then a live topology', async () => {
    const ws = await wsOpen('/ws', `http://127.0.0.1:${port}`);
    const client = new HelperClient(wsTransport(ws));
    const init = await client.ready;
    expect(init.capabilities).toContain('topology.watch');
    const first = await new Promise<string>((resolve) => {
      client.watch('topology.watch', {}, (d) => 'snapshot' in d && resolve(d.snapshot.host.hostname), () => {});
    });
    expect(first.length).toBeGreaterThan(0);
    client.close();
  });

  it('exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => serve.once('exit', (code) => r(code)));
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
