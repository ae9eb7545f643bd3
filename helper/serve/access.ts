import type { IncomingMessage } from 'node:http';
import { newToken, tokenMatches } from './token.js';

/**
 * Browsers send a host's cookies to every port of it (cookies have no port), so the cookie is
 * named after this server's port — two netloom servers do not overwrite each other — and its
 * value is a session only this server issued: on any other port it means nothing.
 */
export const cookieName = (port: number): string => `netloom_${port}`;

export function cookieHeader(port: number, session: string): string {
  return `${cookieName(port)}=${session}; HttpOnly; SameSite=Strict; Path=/`;
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The one-time token of the printed URL and the session it is exchanged for (issue 13): the
 * first page load with the token gets a session cookie and the token is spent; the same token
 * again is refused, unless it comes with that session's cookie (the same browser reopening the
 * link). One session per server: one browser holds it.
 */
export class BrowserAccess {
  private spent = false;
  private session: string | null = null;

  constructor(readonly token: string = newToken()) {}

  get tokenSpent(): boolean {
    return this.spent;
  }

  /** Spends the token: the new session's value for the cookie. */
  exchange(): string {
    this.spent = true;
    this.session = newToken();
    return this.session;
  }

  hasSession(req: IncomingMessage, port: number): boolean {
    return this.session !== null && tokenMatches(cookieValue(req, cookieName(port)), this.session);
  }
}

/** `exchange`: a good, unspent token (spend it, set the cookie, redirect); `session`: the cookie is good. */
export type Access = { ok: true; via: 'exchange' | 'session'; dropToken: boolean } | { ok: false; why: string };

export const SPENT_TOKEN =
  'this link was already used: it opens netloom in one browser only. Go back to the page that opened it, or restart netloom serve for a new link';

/**
 * Who may load anything (DESIGN §8). The Host header must be ours exactly: a DNS-rebound name
 * pointing at 127.0.0.1 fails here before anything else is looked at. Then the URL's token
 * (once) or the session cookie a good load set.
 */
export function checkHttp(req: IncomingMessage, url: URL, port: number, access: BrowserAccess): Access {
  if (req.headers.host !== `127.0.0.1:${port}`) return { ok: false, why: 'unexpected Host header' };
  const given = url.searchParams.get('token');
  const session = access.hasSession(req, port);
  if (given !== null) {
    if (!tokenMatches(given, access.token)) return { ok: false, why: 'missing or wrong token' };
    if (!access.tokenSpent && req.method === 'GET') return { ok: true, via: 'exchange', dropToken: true };
    return session ? { ok: true, via: 'session', dropToken: true } : { ok: false, why: SPENT_TOKEN };
  }
  return session ? { ok: true, via: 'session', dropToken: false } : { ok: false, why: 'missing or wrong token; open the URL netloom serve printed' };
}

/**
 * The WebSocket: Host, path, an Origin of exactly this server — a page on any other origin,
 * other loopback ports included (they are "same-site", so SameSite does not stop their
 * cookies), or a client that sends no Origin, is refused — and the session cookie.
 */
export function checkUpgrade(req: IncomingMessage, url: URL, port: number, access: BrowserAccess): Access {
  if (req.headers.host !== `127.0.0.1:${port}`) return { ok: false, why: 'unexpected Host header' };
  if (url.pathname !== '/ws') return { ok: false, why: 'no such endpoint' };
  if (req.headers.origin !== `http://127.0.0.1:${port}`) return { ok: false, why: 'wrong or missing Origin' };
  if (!access.hasSession(req, port)) return { ok: false, why: 'no session: open the URL netloom serve printed' };
  return { ok: true, via: 'session', dropToken: false };
}
