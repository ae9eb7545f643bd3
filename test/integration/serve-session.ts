import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { WebSocket } from 'ws';
import { HelperClient } from '../../protocol/src/client.js';
import { applyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { exchangeToken } from '../serve-exchange.js';

/** A running `netloom serve` as a browser would hold it: the printed URL and what opens its WebSocket. */
export interface ServeSession {
  url: URL;
  port: number;
  token: string;
  wsPath: string;
  /** The session cookie the token was exchanged for. */
  cookie: string;
  /** Headers a page of this server sends with its WebSocket upgrade. */
  wsHeaders(): Record<string, string>;
}

/** Waits for `netloom is at URL` on the server's stdout and exchanges its one-time token, as a browser would. */
export async function openServeSession(serve: ChildProcessWithoutNullStreams): Promise<ServeSession> {
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
  if (!m?.[1]) throw new Error(`unexpected first line: ${line}`);
  const url = new URL(m[1]);
  const port = Number(url.port);
  const token = url.searchParams.get('token') ?? '';
  const cookie = await exchangeToken(port, token);
  return { url, port, token, cookie, wsPath: '/ws', wsHeaders: () => ({ Origin: `http://127.0.0.1:${port}`, Cookie: cookie }) };
}

/** A protocol client over the `ws` library, as the page's own would be. */
export async function serveClient(s: ServeSession): Promise<HelperClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}${s.wsPath}`, { headers: s.wsHeaders() });
  const early: string[] = [];
  let deliver: ((t: string) => void) | null = null;
  ws.on('message', (d) => (deliver ? deliver(String(d)) : early.push(String(d))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return new HelperClient({
    send: (t) => ws.send(t),
    onText: (cb) => {
      deliver = cb;
      for (const t of early.splice(0)) cb(t);
    },
    onClose: (cb) => void ws.on('close', () => cb('closed')),
    close: () => ws.close(),
  });
}

/** Follows a serve connection's picture: `topology.watch`, its patches applied, each new one handed on. */
export function followPicture(client: HelperClient, onPicture: (s: Snapshot) => void): void {
  let picture: Snapshot | null = null;
  client.watch('topology.watch', {}, (d) => {
    picture = 'snapshot' in d ? d.snapshot : picture ? applyPatch(picture, d.patch) : null;
    if (picture) onPicture(picture);
  }, () => {});
}

/** Ends a serve a test started (SIGTERM) and waits until it is gone. */
export async function stopServe(serve: ChildProcessWithoutNullStreams | undefined): Promise<void> {
  if (!serve || serve.exitCode !== null) return;
  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
}
