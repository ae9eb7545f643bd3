import { IPC, OpenFileRequest, SaveFileRequest, ThemeChoice } from '../protocol/src/index.js';
import type { AppInfo, OpenFileResult, PrivilegeState, SaveFileResult } from '../protocol/src/index.js';
import type { IpcMainLike } from './ipc.js';
import type { IpcSenderInfo } from './trusted-sender.js';

/** What main does for the page's desktop requests (main.ts wires the real ones). */
export interface DesktopPorts {
  saveFile(req: SaveFileRequest): Promise<SaveFileResult>;
  openFile(req: OpenFileRequest): Promise<OpenFileResult>;
  setTheme(choice: ThemeChoice): void;
  appInfo(): AppInfo;
  privilege(): PrivilegeState;
  grantAccess(): Promise<void>;
}

const DESKTOP_CHANNELS = [IPC.saveFile, IPC.openFile, IPC.appInfo, IPC.privilege, IPC.grantAccess] as const;

function firstIssue(e: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const i = e.issues[0];
  return i ? `${i.path.map(String).join('.') || '(request)'}: ${i.message}` : 'invalid';
}

/**
 * The page's desktop requests: every one sender-checked (our window's main frame, our page)
 * and its payload parsed with the protocol's schema before main acts — a refused or invalid
 * one is logged and answered `failed`, and nothing is shown, written or read.
 */
export function registerDesktopIpc(opts: {
  ipcMain: IpcMainLike;
  trusted: (event: IpcSenderInfo, channel: string) => boolean;
  ports: DesktopPorts;
  log: (line: string) => void;
}): () => void {
  const { ipcMain, trusted, ports, log } = opts;
  const handle = ipcMain.handle?.bind(ipcMain);
  if (!handle) return () => {};
  const refused = { status: 'failed', message: 'refused: not from the netloom window' } as const;

  handle(IPC.saveFile, (event, raw) => {
    if (!trusted(event, IPC.saveFile)) return refused;
    const req = SaveFileRequest.safeParse(raw);
    if (!req.success) {
      log(`ipc: refused a save request: ${firstIssue(req.error)}`);
      return { status: 'failed', message: `invalid save request: ${firstIssue(req.error)}` };
    }
    return ports.saveFile(req.data);
  });
  handle(IPC.openFile, (event, raw) => {
    if (!trusted(event, IPC.openFile)) return refused;
    const req = OpenFileRequest.safeParse(raw);
    if (!req.success) return { status: 'failed', message: `invalid open request: ${firstIssue(req.error)}` };
    return ports.openFile(req.data);
  });
  handle(IPC.appInfo, (event) => (trusted(event, IPC.appInfo) ? ports.appInfo() : null));
  handle(IPC.privilege, (event) => (trusted(event, IPC.privilege) ? ports.privilege() : null));
  handle(IPC.grantAccess, async (event) => {
    if (trusted(event, IPC.grantAccess)) await ports.grantAccess();
  });
  ipcMain.on(IPC.setTheme, (event, raw) => {
    if (!trusted(event, IPC.setTheme)) return;
    const choice = ThemeChoice.safeParse(raw);
    if (choice.success) ports.setTheme(choice.data);
    else log(`ipc: dropped a theme that is not system, light or dark: ${JSON.stringify(String(raw)).slice(0, 60)}`);
  });

  return () => {
    for (const c of DESKTOP_CHANNELS) ipcMain.removeHandler?.(c);
    ipcMain.removeAllListeners(IPC.setTheme);
  };
}
