import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exec as sudoPromptExec } from '@vscode/sudo-prompt';
import { BrowserWindow, Menu, app, ipcMain } from 'electron';
import { appMenuTemplate } from './app-menu.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { ElevationState, helperBundlePath, launchHelper } from './helper-launcher.js';
import { HelperSupervisor } from './helper-supervisor.js';
import { createIpcRelay } from './ipc.js';
import { findWireshark, openInWireshark } from './wireshark.js';
import type { IpcRelay } from './ipc.js';
import { rendererLocation } from './renderer-location.js';
import { createMainWindow } from './window.js';

const log = (line: string): void => {
  process.stderr.write(`netloom: ${line}\n`);
};

function run(): void {
  // Every renderer sandboxed, whatever a window's own options say (checklist §4).
  app.enableSandbox();
  let win: BrowserWindow | null = null;
  let relay: IpcRelay | null = null;
  let helperStopped = false;
  // Asked once through the system prompt; a refusal sticks until "Grant access" (grantAccess()).
  const elevation = new ElevationState();

  const supervisor = new HelperSupervisor(
    () =>
      launchHelper({
        spawn,
        execPath: process.execPath,
        bundlePath: helperBundlePath(app, process.resourcesPath),
        env: process.env,
        uid: process.getuid?.(),
        log,
        elevation: { sudoExec: sudoPromptExec, state: elevation },
      }),
    {
      onText: (text) => relay?.fromHelper(text),
      onCrash: (reason) => {
        log(reason);
        relay?.helperCrashed(reason);
      },
    },
  );

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  // Any web contents at all (not only our window's) opens no windows and attaches no
  // <webview>; our window then adds its own, narrower guards (window.ts).
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  // No helper outlives the app: hold the quit until it is gone (input closed, then signals).
  app.on('will-quit', (event) => {
    if (helperStopped) return;
    event.preventDefault();
    void supervisor.stop().finally(() => {
      helperStopped = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ devTools: !app.isPackaged })));
    const location = rendererLocation({
      devUrl: process.env['ELECTRON_RENDERER_URL'],
      isPackaged: app.isPackaged,
      indexHtml: join(__dirname, '../renderer/index.html'),
    });
    const csp = contentSecurityPolicy(location.kind === 'dev' ? new URL(location.url).origin : null);
    win = createMainWindow({ location, preloadPath: join(__dirname, '../preload/preload.js'), stateFile: join(app.getPath('userData'), 'window-state.json'), csp, log });
    const wireshark = {
      available: () => findWireshark(process.env['PATH']) !== null,
      open: (pcap: unknown, name: unknown) => openInWireshark(pcap, name, { path: process.env['PATH'], tempDir: app.getPath('temp'), log }),
    };
    relay = createIpcRelay({ ipcMain, webContents: win.webContents, location, helper: supervisor, log, wireshark });
    // Started alongside the page: its init waits in the relay until the page is listening.
    supervisor.start();
    win.on('closed', () => {
      relay?.dispose();
      relay = null;
      win = null;
    });
  });
}

// A second launch only focuses the first one's window (its 'second-instance' above).
if (app.requestSingleInstanceLock()) run();
else app.quit();
