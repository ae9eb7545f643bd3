import type { Exec } from '../exec.js';

/**
 * Opens the URL in the user's browser when that is sensible: never as root (a browser
 * must not run with the helper's privileges) and only with a display. Returns why not.
 */
export async function openBrowser(exec: Exec, url: string): Promise<string | null> {
  if (process.getuid?.() === 0) return 'running as root, so no browser is started; open the URL yourself';
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display; open the URL in a browser';
  const res = await exec.run(['xdg-open', url], { allowFailure: true, timeoutMs: 10_000 }).catch(() => null);
  if (res === null || res.exitCode !== 0) return 'xdg-open could not open a browser; open the URL yourself';
  return null;
}
