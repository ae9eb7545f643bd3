import type { WebContents } from 'electron';
import type { RendererLocation } from './renderer-location.js';

/** Only these schemes ever reach the system browser (checklist §15: no openExternal on untrusted input). */
const EXTERNAL_SCHEMES = new Set(['https:']);

export function isExternalLinkAllowed(url: string): boolean {
  try {
    return EXTERNAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * The window shows our page and nothing else (checklist §13, §14, §12): navigation
 * away is cancelled, new windows are refused (an https link opens in the system
 * browser instead), and <webview> is never attached.
 */
export function guardNavigation(
  wc: GuardedContents,
  location: RendererLocation,
  openExternal: (url: string) => Promise<void>,
  log: (line: string) => void,
): void {
  wc.on('will-navigate', (event, url) => {
    if (location.isOurPage(url)) return;
    event.preventDefault();
    log(`window: blocked navigation to ${JSON.stringify(url.slice(0, 200))}`);
  });
  wc.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('window: blocked a <webview>');
  });
  wc.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) {
      openExternal(url).catch((e: unknown) => log(`window: could not open ${url}: ${e instanceof Error ? e.message : String(e)}`));
    } else {
      log(`window: blocked a new window for ${JSON.stringify(url.slice(0, 200))}`);
    }
    return { action: 'deny' };
  });
}
