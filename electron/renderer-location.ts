import { pathToFileURL } from 'node:url';

/** Where our page comes from, and the test that a URL is that page (sender checks, navigation). */
export interface RendererLocation {
  kind: 'file' | 'dev';
  /** What the window loads. */
  url: string;
  isOurPage(url: string): boolean;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The built page (file://…/out/renderer/index.html), or electron-vite's dev server when
 * ELECTRON_RENDERER_URL is set — only honoured in an unpackaged app, so a packaged app's
 * environment cannot point the trusted window at some other origin.
 */
export function rendererLocation(opts: { devUrl: string | undefined; isPackaged: boolean; indexHtml: string }): RendererLocation {
  const dev = !opts.isPackaged && opts.devUrl ? parse(opts.devUrl) : null;
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:')) {
    return {
      kind: 'dev',
      url: dev.href,
      isOurPage: (url) => parse(url)?.origin === dev.origin,
    };
  }
  const page = pathToFileURL(opts.indexHtml);
  return {
    kind: 'file',
    url: page.href,
    // The same file; a query or hash (a client-side route) is still our page.
    isOurPage: (url) => {
      const u = parse(url);
      return u !== null && u.protocol === 'file:' && u.host === page.host && u.pathname === page.pathname;
    },
  };
}
