import { AppInfo, IPC, MenuCommand, OpenFileResult, PrivilegeState, SaveFileResult, ThemeChoice } from '../protocol/src/index.js';
import type { DesktopBridge } from '../protocol/src/index.js';
import type { RendererIpc } from './preload-bridge.js';

type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

/** A broken answer from main becomes a plain failure the page can show, never a throw into React. */
const failed = (what: string) => ({ status: 'failed' as const, message: `${what}: main gave an answer netloom does not understand` });

/**
 * `window.netloom.desktop`: menu commands in, files through main's dialogs, theme, About,
 * privileges. What main sends is checked here with the protocol's schemas before the page sees it.
 */
export function desktopBridge(ipc: RendererIpc, invoke: Invoke): DesktopBridge {
  const subscribe = <T>(channel: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }) => {
    const listeners = new Set<(v: T) => void>();
    ipc.on(channel, (_event, raw) => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) for (const cb of listeners) cb(parsed.data);
    });
    return (cb: (v: T) => void) => {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    };
  };
  const onMenu = subscribe(IPC.menuCommand, MenuCommand);
  const onTheme = subscribe(IPC.themeChanged, ThemeChoice);
  const onPrivilege = subscribe(IPC.privilegeChanged, PrivilegeState);
  return {
    onMenu,
    onTheme,
    onPrivilege,
    saveFile: async (request) => {
      const r = SaveFileResult.safeParse(await invoke(IPC.saveFile, request));
      return r.success ? r.data : failed('Save');
    },
    openFile: async (request) => {
      const r = OpenFileResult.safeParse(await invoke(IPC.openFile, request));
      return r.success ? r.data : failed('Open');
    },
    setTheme: (choice) => ipc.send(IPC.setTheme, choice),
    appInfo: async () => AppInfo.parse(await invoke(IPC.appInfo)),
    privilege: async () => PrivilegeState.parse(await invoke(IPC.privilege)),
    grantAccess: async () => {
      await invoke(IPC.grantAccess);
    },
  };
}
