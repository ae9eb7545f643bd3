import { rendererCsp } from '../../protocol/src/content-security-policy.js';

/** The renderer's CSP (the same policy as the Electron window and the page's meta tag), plus this server's WebSocket. */
export function contentSecurityPolicy(port: number): string {
  return rendererCsp({ connect: [`ws://127.0.0.1:${port}`] });
}

/** Sent with every response. no-referrer keeps the token in the page URL from leaking. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
