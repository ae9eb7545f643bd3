import type { IncomingMessage } from 'node:http';
import { tokenMatches } from './token.js';

/** One cookie per port, so two netloom servers on one machine do not overwrite each other. */
export const cookieName = (port: number): string => `netloom_${port}`;

export function cookieHeader(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
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

export type Access = { ok: true; via: 'query' | 'cookie' } | { ok: false; why: string };

/**
 * Who may load anything (DESIGN §8). The Host header must be ours exactly: a DNS-rebound
 * name pointing at 127.0.0.1 fails here even before the token is looked at. Then the
 * token, from `?token=` or from the cookie a good page load set.
 */
export function checkHttp(req: IncomingMessage, url: URL, port: number, token: string): Access {
  if (req.headers.host !== `127.0.0.1:${port}`) return { ok: false, why: 'unexpected Host header' };
  if (tokenMatches(url.searchParams.get('token'), token)) return { ok: true, via: 'query' };
  if (tokenMatches(cookieValue(req, cookieName(port)), token)) return { ok: true, via: 'cookie' };
  return { ok: false, why: 'missing or wrong token' };
}

/**
 * The WebSocket asks for more: the token in its URL (a cookie alone is not enough) and
 * an Origin of exactly this server — a page on any other origin, other loopback ports
 * included, or a client that sends no Origin, is refused.
 */
export function checkUpgrade(req: IncomingMessage, url: URL, port: number, token: string): Access {
  if (req.headers.host !== `127.0.0.1:${port}`) return { ok: false, why: 'unexpected Host header' };
  if (url.pathname !== '/ws') return { ok: false, why: 'no such endpoint' };
  if (req.headers.origin !== `http://127.0.0.1:${port}`) return { ok: false, why: 'wrong or missing Origin' };
  if (!tokenMatches(url.searchParams.get('token'), token)) return { ok: false, why: 'missing or wrong token' };
  return { ok: true, via: 'query' };
}
