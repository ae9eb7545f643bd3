/**
 * The renderer's Content-Security-Policy, one source for its three places (issue 13 item 9):
 * the header Electron stamps on its window's responses (electron/content-security-policy.ts),
 * the meta tag in renderer/index.html — which is what holds for the packaged file:// page,
 * whose responses carry no headers Electron can rewrite — and the header of browser mode
 * (helper/serve/security-headers.ts). Nothing but the page's own files; inline styles only
 * because React Flow positions nodes with style attributes.
 */
export interface CspOptions {
  /** Electron's dev server (electron-vite): its origin, its inline React refresh preamble, its HMR socket. */
  devOrigin?: string | null;
  /** More WebSocket origins to talk to (browser mode's own ws://127.0.0.1:PORT). */
  connect?: string[];
  /** `frame-ancestors` is ignored (and warned about) in a meta tag: headers only. */
  frameAncestors?: boolean;
}

export function rendererCsp(opts: CspOptions = {}): string {
  const dev = opts.devOrigin ?? null;
  const self = dev === null ? "'self'" : `'self' ${dev}`;
  const devScript = dev === null ? '' : " 'unsafe-inline'";
  const connect = [self, ...(dev === null ? [] : [dev.replace(/^http/, 'ws')]), ...(opts.connect ?? [])].join(' ');
  return [
    "default-src 'none'",
    `script-src ${self}${devScript}`,
    `style-src ${self} 'unsafe-inline'`,
    `img-src ${self} data:`,
    `font-src ${self}`,
    `connect-src ${connect}`,
    `worker-src ${self} blob:`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(opts.frameAncestors === false ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

/** Exactly what renderer/index.html's meta tag says (a unit test holds them equal). */
export const META_CSP = rendererCsp({ frameAncestors: false });
