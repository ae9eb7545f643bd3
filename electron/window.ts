import { BrowserWindow, screen, shell } from 'electron';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { guardNavigation } from './navigation-guard.js';
import type { RendererLocation } from './renderer-location.js';
import { applySessionPolicy } from './session-policy.js';
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state.js';
import type { WindowState } from './window-state.js';

/** Electron's security checklist, in one place (§2 no Node, §3 isolation, §4 sandbox, §6 webSecurity). */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function mainWindowOptions(state: WindowState, preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 640,
    minHeight: 420,
    title: 'netloom',
    backgroundColor: '#1e1e1e',
    // Shown once the first paint is ready, so the user never sees a white flash.
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

function currentState(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}

export function createMainWindow(opts: {
  location: RendererLocation;
  preloadPath: string;
  stateFile: string;
  csp: string;
  log: (line: string) => void;
}): BrowserWindow {
  const saved = fitToDisplays(
    loadWindowState(opts.stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow(mainWindowOptions(saved, opts.preloadPath));
  applySessionPolicy(win.webContents.session, opts.csp);
  guardNavigation(win.webContents, opts.location, (url) => shell.openExternal(url), opts.log);
  win.once('ready-to-show', () => {
    if (saved.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      saveWindowState(opts.stateFile, currentState(win));
    } catch (e) {
      opts.log(`window: could not save its size and place: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  void win.loadURL(opts.location.url).catch((e: unknown) => {
    opts.log(`window: could not load ${opts.location.url}: ${e instanceof Error ? e.message : String(e)}`);
  });
  return win;
}
