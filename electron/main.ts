import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exec as sudoPromptExec } from '@vscode/sudo-prompt';
import { BrowserWindow, Menu, app, dialog, ipcMain, nativeTheme } from 'electron';
import { IPC } from '../protocol/src/index.js';
import type { MenuCommand, ThemeChoice } from '../protocol/src/index.js';
import { appMenuTemplate } from './app-menu.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { registerDesktopIpc } from './desktop-ipc.js';
import { openWithDialog, saveWithDialog } from './file-dialogs.js';
import type { FileDialogDeps } from './file-dialogs.js';
import { launchElevatedHelper } from './helper-elevated.js';
import { ElevationState, helperBundlePath, helperCommand, launchHelper } from './helper-launcher.js';
import { helperRuntime } from './helper-runtime.js';
import { HostsLayer } from './hosts-layer.js';
import { spawnHostsProcess } from './hosts-process.js';
import { requirePeerUid } from './peer-credentials.js';
import { installedLauncher, pkexecRunner } from './polkit-launcher.js';
import { PrivilegeFlow } from './privilege-flow.js';
import { refuseSender } from './trusted-sender.js';
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

  const uid = process.getuid?.();
  const bundlePath = helperBundlePath(app, process.resourcesPath);
  // The packaged app's binary cannot run as Node (fuses): the helper has its own runtime.
  const runtime = helperRuntime(app, process.resourcesPath, process.execPath);
  // Resolved once, at start: netloom-nsread beside the helper bundle answers SO_PEERCRED for the
  // root helper's socket (a packaged app refuses a peer it cannot check); wireshark from PATH.
  const nsread = join(dirname(bundlePath), 'netloom-nsread');
  const checkPeer = requirePeerUid(0, existsSync(nsread) ? nsread : null, { required: app.isPackaged, log });
  const wiresharkPath = findWireshark(process.env['PATH']);
  let theme: ThemeChoice = 'system';
  const toPage = (channel: string, value: unknown): void => {
    if (win && !win.webContents.isDestroyed()) win.webContents.send(channel, value);
  };

  // The supervisor's helper runs as the user (or as root when the app is): the window opens at
  // once. Privileges come from the PrivilegeFlow's root helper, which the supervisor adopts.
  const supervisor = new HelperSupervisor(
    () => launchHelper({ spawn, ...runtime, bundlePath, env: process.env, uid, log }),
    {
      onText: (text) => hosts.coreText(text),
      onCrash: (reason) => {
        log(reason);
        privilege.helperCrashed(reason);
        hosts.coreCrashed(reason);
      },
      onSwitch: (reason) => hosts.coreSwitched(reason),
    },
  );
  // Between the page and the supervisor's helper: `netloom hosts --stdio`, as the user, so ssh to
  // other hosts has the person's own keys and agent (docs/multi-host.md). NETLOOM_DESKTOP_HOSTS=no
  // leaves it out: the page talks to the helper directly, as before it (no Add host…).
  const hosts = new HostsLayer({
    core: supervisor,
    page: () => relay,
    spawnHosts: () => spawnHostsProcess({ spawn, ...helperCommand({ ...runtime, bundlePath, env: process.env }, ['hosts', '--stdio']), log }),
    log,
    enabled: process.env['NETLOOM_DESKTOP_HOSTS'] !== 'no',
  });
  const privilege = new PrivilegeFlow({
    uid,
    elevation,
    launchElevated: (hooks) => {
      // Installed from the .deb: pkexec runs the launcher its polkit action names (argv, no shell).
      const launcher = installedLauncher({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, exists: existsSync });
      const run = launcher === null ? {} : { run: pkexecRunner(launcher, spawn) };
      return launchElevatedHelper({ sudoExec: sudoPromptExec, ...run, ...runtime, bundlePath, log, ...hooks, socket: { checkPeer } });
    },
    supervisor,
    onChange: (state) => toPage(IPC.privilegeChanged, state),
    log,
  });

  const setMenu = (): void => {
    const send = (command: MenuCommand): void => toPage(IPC.menuCommand, command);
    const setTheme = (choice: ThemeChoice): void => {
      applyTheme(choice);
      toPage(IPC.themeChanged, choice);
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ devTools: !app.isPackaged, send, theme, setTheme })));
  };
  // One theme for the window's frame, dialogs and the page's prefers-color-scheme.
  const applyTheme = (choice: ThemeChoice): void => {
    theme = choice;
    nativeTheme.themeSource = choice;
    setMenu();
  };

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
  // No helper (nor hosts process) outlives the app: hold the quit until each is gone (input
  // closed — the hosts process then ends its ssh sessions — then signals).
  app.on('will-quit', (event) => {
    if (helperStopped) return;
    event.preventDefault();
    void Promise.all([privilege.stop(), hosts.stop(), supervisor.stop()]).finally(() => {
      helperStopped = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    setMenu();
    const location = rendererLocation({
      devUrl: process.env['ELECTRON_RENDERER_URL'],
      isPackaged: app.isPackaged,
      indexHtml: join(__dirname, '../renderer/index.html'),
    });
    const csp = contentSecurityPolicy(location.kind === 'dev' ? new URL(location.url).origin : null);
    win = createMainWindow({ location, preloadPath: join(__dirname, '../preload/preload.js'), stateFile: join(app.getPath('userData'), 'window-state.json'), csp, log });
    const wireshark = {
      available: () => wiresharkPath !== null,
      open: (pcap: unknown, name: unknown) => openInWireshark(pcap, name, { path: wiresharkPath === null ? '' : dirname(wiresharkPath), tempDir: app.getPath('temp'), log }),
    };
    relay = createIpcRelay({
      ipcMain,
      webContents: win.webContents,
      location,
      helper: hosts,
      log,
      wireshark,
      // A reload must not bring the system prompt back: the page takes the root helper over.
      keepHelperOnReload: () => privilege.state.state === 'privileged',
    });
    const ourWindow = win;
    const files: FileDialogDeps = {
      showSaveDialog: (o) => dialog.showSaveDialog(ourWindow, o),
      showOpenDialog: (o) => dialog.showOpenDialog(ourWindow, o),
      writeFile: (path, data) => writeFile(path, data, { mode: 0o644 }),
      readFile: (path) => readFile(path),
      fileSize: async (path) => (await stat(path)).size,
      defaultDir: app.getPath('documents'),
    };
    const disposeDesktop = registerDesktopIpc({
      ipcMain,
      trusted: (event, channel) => {
        const why = refuseSender(event, ourWindow.webContents.isDestroyed() ? null : ourWindow.webContents.id, location);
        if (why !== null) log(`ipc: refused a message on ${channel}: ${why}`);
        return why === null;
      },
      ports: {
        saveFile: (req) => saveWithDialog(req, files),
        openFile: (req) => openWithDialog(req, files),
        setTheme: applyTheme,
        appInfo: () => ({
          app: app.getVersion(),
          electron: process.versions.electron ?? '',
          chrome: process.versions.chrome ?? '',
          node: process.versions.node,
          platform: `${process.platform} ${process.arch}`,
        }),
        privilege: () => privilege.state,
        grantAccess: async () => privilege.grantAccess(),
      },
      log,
    });
    // Started alongside the page: its init waits in the relay until the page is listening.
    hosts.start();
    privilege.ask();
    win.on('closed', () => {
      disposeDesktop();
      relay?.dispose();
      relay = null;
      win = null;
    });
  });
}

// A second launch only focuses the first one's window (its 'second-instance' above).
if (app.requestSingleInstanceLock()) run();
else app.quit();
