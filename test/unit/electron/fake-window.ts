import type { IpcMainLike, WebContentsLike } from '../../../electron/ipc.js';
import { rendererLocation } from '../../../electron/renderer-location.js';
import type { IpcSenderInfo } from '../../../electron/trusted-sender.js';

export const INDEX = '/opt/netloom/resources/app.asar/out/renderer/index.html';
/** Where the packaged app's page is loaded from (what the relay trusts). */
export const location = rendererLocation({ devUrl: undefined, isPackaged: true, indexHtml: INDEX });
const page: IpcSenderInfo = { sender: { id: 7 }, senderFrame: { parent: null, url: `file://${INDEX}` } };

/** Our window as the relay sees it: its IPC from the page, what main sends it, its navigations. */
export function fakeWindow() {
  const handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => void>();
  const ipcMain: IpcMainLike = { on: (c, l) => void handlers.set(c, l), removeAllListeners: (c) => void handlers.delete(c) };
  const toPage: [string, unknown][] = [];
  let navigate: (d: { isMainFrame: boolean; isSameDocument: boolean }) => void = () => {};
  const webContents: WebContentsLike = { id: 7, send: (c, a) => void toPage.push([c, a]), isDestroyed: () => false, on: (_e, l) => (navigate = l) };
  return {
    ipcMain,
    webContents,
    toPage,
    /** The page sends on `channel`. */
    fromPage: (channel: string, ...args: unknown[]) => handlers.get(channel)?.(page, ...args),
    /** The page starts loading another document (a reload). */
    navigateAway: () => navigate({ isMainFrame: true, isSameDocument: false }),
  };
}
