import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Electron, mocked at the boundary: a BrowserWindow that records what it was given. */
const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class FakeWebContents {
    listeners = new Map<string, Listener>();
    openHandler: ((d: { url: string }) => { action: string }) | null = null;
    session = {
      permission: null as null | ((...a: unknown[]) => void),
      check: null as null | ((...a: unknown[]) => boolean),
      headers: null as null | ((...a: unknown[]) => void),
      setPermissionRequestHandler(h: (...a: unknown[]) => void) {
        this.permission = h;
      },
      setPermissionCheckHandler(h: (...a: unknown[]) => boolean) {
        this.check = h;
      },
      webRequest: {
        onHeadersReceived: (h: (...a: unknown[]) => void) => {
          fake.last!.webContents.session.headers = h;
        },
      },
    };
    on(event: string, l: Listener) {
      this.listeners.set(event, l);
    }
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    }
  }
  class FakeBrowserWindow {
    webContents = new FakeWebContents();
    loaded: string | null = null;
    constructor(public options: Record<string, unknown>) {
      fake.last = this;
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    once() {}
    on() {}
  }
  const fake = { last: null as FakeBrowserWindow | null };
  return {
    fake,
    BrowserWindow: FakeBrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
  };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, screen: electron.screen, shell: electron.shell }));

import { contentSecurityPolicy } from '../../../electron/content-security-policy.js';
import { rendererLocation } from '../../../electron/renderer-location.js';
import { createMainWindow } from '../../../electron/window.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netloom-window-'));
  electron.shell.openExternal.mockClear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open() {
  const logs: string[] = [];
  const location = rendererLocation({ devUrl: undefined, isPackaged: true, indexHtml: '/app/out/renderer/index.html' });
  createMainWindow({ location, preloadPath: '/app/out/preload/preload.js', stateFile: join(dir, 'window-state.json'), csp: contentSecurityPolicy(null), log: (l) => logs.push(l) });
  return { win: electron.fake.last!, logs };
}

describe('main window', () => {
  it('is isolated, sandboxed, without Node, with web security, and loads our page', () => {
    const { win } = open();
    expect(win.options['webPreferences']).toMatchObject({
      preload: '/app/out/preload/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.options).toMatchObject({ width: 1280, height: 800, show: false });
    expect(win.loaded).toBe('file:///app/out/renderer/index.html');
  });

  it('cancels navigation away from our page, and allows our own page', () => {
    const { win, logs } = open();
    const navigate = win.webContents.listeners.get('will-navigate')!;
    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    expect(logs[0]).toMatch(/blocked navigation/);
    const home = { preventDefault: vi.fn() };
    navigate(home, 'file:///app/out/renderer/index.html#/graph');
    expect(home.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses <webview>', () => {
    const { win } = open();
    const e = { preventDefault: vi.fn() };
    win.webContents.listeners.get('will-attach-webview')!(e);
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('never opens a new window; only https links go to the system browser', () => {
    const { win } = open();
    const handler = win.webContents.openHandler!;
    for (const url of ['https://docs.docker.com/network/', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url'])
      expect(handler({ url })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://docs.docker.com/network/']]);
  });

  it('refuses every permission and stamps the CSP on responses', () => {
    const { win } = open();
    const s = win.webContents.session;
    const cb = vi.fn();
    s.permission!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(s.check!({}, 'notifications')).toBe(false);
    const headersCb = vi.fn();
    s.headers!({ responseHeaders: { 'content-security-policy': ["default-src *"], 'X-A': ['1'] } }, headersCb);
    expect(headersCb).toHaveBeenCalledWith({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [contentSecurityPolicy(null)] } });
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict for the built page: no inline or remote script, nothing by default', () => {
    const csp = contentSecurityPolicy(null);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|http|\*/);
  });

  it('lets the dev server and its HMR socket in during development only', () => {
    const csp = contentSecurityPolicy('http://localhost:5173');
    expect(csp).toContain("script-src 'self' http://localhost:5173 'unsafe-inline'");
    expect(csp).toContain('connect-src \'self\' http://localhost:5173 ws://localhost:5173');
  });
});
