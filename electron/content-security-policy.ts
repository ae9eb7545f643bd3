/**
 * The page's Content-Security-Policy (Electron security checklist §7). Sent as a header
 * by session-policy.ts and repeated in renderer/index.html's meta tag (file:// responses
 * carry no headers Electron can rewrite, so there the meta tag is what holds).
 * Inline styles stay allowed: React Flow positions nodes with style attributes.
 */
export function contentSecurityPolicy(devServerOrigin: string | null): string {
  const self = devServerOrigin === null ? "'self'" : `'self' ${devServerOrigin}`;
  // Dev only: Vite's React refresh preamble is an inline script and HMR is a WebSocket.
  const devScript = devServerOrigin === null ? '' : " 'unsafe-inline'";
  const devConnect = devServerOrigin === null ? '' : ` ${devServerOrigin.replace(/^http/, 'ws')}`;
  return [
    "default-src 'none'",
    `script-src ${self}${devScript}`,
    `style-src ${self} 'unsafe-inline'`,
    `img-src ${self} data:`,
    `font-src ${self}`,
    `connect-src ${self}${devConnect}`,
    `worker-src ${self} blob:`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
