import type { LineTransport } from '../server/line-transport.js';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { TAKEN_OVER_CLOSE_CODE, TAKEN_OVER_REASON } from '../../protocol/src/browser-mode.js';
import { MAX_LINE_BYTES } from '../../protocol/src/framing.js';
import { serveConnection } from '../server/connection.js';
import type { ServerContext } from '../server/context.js';
import { BrowserAccess, checkHttp, checkUpgrade, cookieHeader } from './access.js';
import { securityHeaders } from './security-headers.js';
import { contentType, resolveStatic } from './static-files.js';
import { wsTransport } from './ws-transport.js';

/** Loopback only, never a wildcard: browser mode is for the person at this machine (DESIGN §8). */
export const BIND_HOST = '127.0.0.1';

export interface BrowserServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  ctx: ServerContext;
  /** Serves a page's connection instead of the local helper core alone (several hosts: hosts/host-router.ts). */
  route?: (t: LineTransport) => void;
  /** The URL's one-time token (default: a new random one). */
  token?: string;
}

export interface BrowserServer {
  /** The address actually bound (always 127.0.0.1). */
  address: string;
  port: number;
  /** One-time: the first page load spends it (issue 13). */
  token: string;
  url: string;
  /** Whether a page has spent the token yet. */
  readonly tokenSpent: boolean;
  /** Closes every WebSocket (which aborts their requests and streams) and the listener. */
  close(): Promise<void>;
}

function refuse(res: ServerResponse, headers: Record<string, string>, status: number, text: string): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

/**
 * The request's URL, or null: `new URL` throws on a request target like `//[` and a throw in
 * a request listener would end the process.
 */
function requestUrl(req: IncomingMessage, port: number): URL | null {
  try {
    return new URL(req.url ?? '/', `http://${BIND_HOST}:${port}`);
  } catch {
    return null;
  }
}

function refuseUpgrade(socket: Duplex, why: string): void {
  socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
}

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const access = new BrowserAccess(opts.token);
  let port = opts.port;
  // At most 1 MiB a message (DESIGN §2): a bigger one closes that connection with 1009.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_LINE_BYTES });
  wss.on('error', (e) => opts.ctx.log(`netloom serve: ${e.message}`));
  // One page at a time: a new page's connection takes over, and the old page is told why.
  let current: WebSocket | null = null;
  wss.on('connection', (ws) => {
    if (current !== null && current.readyState === current.OPEN) current.close(TAKEN_OVER_CLOSE_CODE, TAKEN_OVER_REASON);
    current = ws;
    ws.on('close', () => {
      if (current === ws) current = null;
    });
    const t = wsTransport(ws, opts.ctx.log);
    if (opts.route) opts.route(t);
    else serveConnection(t, opts.ctx);
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const headers = securityHeaders(port);
    const url = requestUrl(req, port);
    if (url === null) return refuse(res, headers, 400, 'bad request');
    const allowed = checkHttp(req, url, port, access);
    if (!allowed.ok) return refuse(res, headers, 403, `forbidden: ${allowed.why}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, { ...headers, Allow: 'GET, HEAD' }, 405, 'method not allowed');
    if (allowed.dropToken) {
      // The token leaves the address bar (and the history) at once; the cookie carries the session.
      url.searchParams.delete('token');
      const out: Record<string, string> = { ...headers, Location: url.pathname + url.search };
      if (allowed.via === 'exchange') out['Set-Cookie'] = cookieHeader(port, access.exchange());
      res.writeHead(303, out);
      return void res.end();
    }
    const file = resolveStatic(opts.rendererDir, url.pathname);
    if (file === null) {
      const missing = resolveStatic(opts.rendererDir, '/index.html') === null;
      return refuse(res, headers, missing ? 503 : 404, missing ? 'the renderer is not built: run `npm run build`' : 'not found');
    }
    res.writeHead(200, { ...headers, 'Content-Type': contentType(file) });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer(onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws takes the socket over, its errors (a reset mid-handshake) are ours to catch.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req, port);
    if (url === null) return refuseUpgrade(socket, 'bad request');
    const allowed = checkUpgrade(req, url, port, access);
    if (!allowed.ok) return refuseUpgrade(socket, allowed.why);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, BIND_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;

  return {
    address: bound.address,
    port,
    token: access.token,
    url: `http://${BIND_HOST}:${port}/?token=${access.token}`,
    get tokenSpent() {
      return access.tokenSpent;
    },
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
