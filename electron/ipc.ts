import { IPC } from '../protocol/src/bridge.js';
import { LineDecoder, encodeLine } from '../protocol/src/framing.js';
import { checkClientLine } from './client-line.js';
import type { RendererLocation } from './renderer-location.js';
import { PageSession } from './page-session.js';
import { refuseSender } from './trusted-sender.js';
import type { IpcSenderInfo } from './trusted-sender.js';

export interface IpcMainLike {
  on(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel: string): unknown;
  handle?(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => unknown): void;
  removeHandler?(channel: string): void;
}

/** Main's side of the page's optional Wireshark hand-off (electron/wireshark.ts). */
export interface WiresharkPort {
  available(): boolean;
  open(pcap: unknown, name: unknown): Promise<{ ok: boolean; message: string }>;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'did-start-navigation', listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void): unknown;
}

/** What the relay needs of the helper supervisor. */
export interface HelperPort {
  readonly running: boolean;
  start(): void;
  restart(): Promise<void>;
  send(text: string): boolean;
}

export interface IpcRelay {
  /** Raw text from the helper (HelperSupervisor's onText). */
  fromHelper(text: string): void;
  /** The helper died on its own (HelperSupervisor's onCrash). */
  helperCrashed(reason: string): void;
  dispose(): void;
}

/** Lines held for a page that is not listening yet (the helper's init and little else). */
const MAX_HELD_LINES = 64;

function preview(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}

/**
 * Relays JSON lines between our window and the helper. Renderer → helper: the sender is
 * checked and every line must parse as a ClientMessage — anything else is dropped and
 * logged, never forwarded. Helper → renderer: whole lines, to our window only. Each page
 * load gets its own helper session: a reloaded page would otherwise miss `init` and
 * inherit the old page's streams.
 */
export function createIpcRelay(opts: {
  ipcMain: IpcMainLike;
  webContents: WebContentsLike;
  location: RendererLocation;
  helper: HelperPort;
  log: (line: string) => void;
  wireshark?: WiresharkPort;
  /**
   * True while the running helper must survive a reload (the privileged one: restarting it
   * would mean the system prompt again). The reloaded page then takes it over: the old page's
   * requests are cancelled, and once they have ended the new page gets the same init.
   */
  keepHelperOnReload?: () => boolean;
  /** How long a takeover waits for the old page's streams to end before restarting instead. */
  takeoverTimeoutMs?: number;
}): IpcRelay {
  const { ipcMain, webContents: wc, location, helper, log } = opts;
  let listening = false;
  let sessions = 0;
  let held: string[] = [];
  let page = new PageSession();
  let takeover: { timer: ReturnType<typeof setTimeout> } | null = null;

  const toPage = (lines: string[]): void => {
    if (lines.length === 0) return;
    if (!listening) {
      held.push(...lines.slice(0, Math.max(0, MAX_HELD_LINES - held.length)));
      return;
    }
    if (!wc.isDestroyed()) wc.send(IPC.fromHelper, lines.map((l) => `${l}\n`).join(''));
  };
  const forwardLine = (line: string): void => {
    const checked = checkClientLine(line, 'from the page');
    if ('drop' in checked) return log(`ipc: dropped ${checked.drop}: ${preview(line)}`);
    page.fromPage(checked.msg);
    // Forward what was validated, re-encoded — not the page's own bytes.
    if (!helper.send(encodeLine(checked.msg))) log('ipc: dropped a message from the page: the helper is not running');
  };

  // Framing per helper session: a half line from a helper (or page) that is gone must
  // not be glued to the first line of the next one.
  let fromHelperLines: string[] = [];
  const decoders = () => ({
    helper: new LineDecoder((l) => fromHelperLines.push(l), () => log('ipc: dropped an over-long line from the helper')),
    page: new LineDecoder(forwardLine, () => log('ipc: dropped an over-long line from the page')),
  });
  let decode = decoders();
  const newSession = (): void => {
    fromHelperLines = [];
    decode = decoders();
    page = new PageSession();
    endTakeover();
  };
  function endTakeover(): void {
    if (takeover) clearTimeout(takeover.timer);
    takeover = null;
  }
  const finishTakeover = (): void => {
    endTakeover();
    page.nextPage();
    decode = { ...decode, page: decoders().page };
    if (page.initLine !== null) toPage([page.initLine]);
  };
  const startTakeover = (): void => {
    const ids = page.openIds;
    for (const id of ids) helper.send(encodeLine({ cancel: { id } }));
    if (ids.length === 0) return finishTakeover();
    takeover = {
      timer: setTimeout(() => {
        log(`ipc: ${page.openIds.length} of the old page's requests did not end; starting a fresh helper for the reloaded page`);
        newSession();
        void helper.restart();
      }, opts.takeoverTimeoutMs ?? 2000),
    };
  };

  const trusted = (event: IpcSenderInfo, channel: string): boolean => {
    const why = refuseSender(event, wc.isDestroyed() ? null : wc.id, location);
    if (why !== null) log(`ipc: refused a message on ${channel}: ${why}`);
    return why === null;
  };

  ipcMain.on(IPC.rendererReady, (event) => {
    if (!trusted(event, IPC.rendererReady)) return;
    sessions++;
    listening = true;
    if (sessions === 1 && helper.running) {
      const lines = held;
      held = [];
      toPage(lines);
      return;
    }
    held = [];
    if (helper.running && page.initLine !== null && opts.keepHelperOnReload?.() === true) return startTakeover();
    newSession();
    if (helper.running) void helper.restart();
    else helper.start();
  });

  const wireshark = opts.wireshark;
  if (wireshark && ipcMain.handle) {
    ipcMain.handle(IPC.wiresharkAvailable, (event) => trusted(event, IPC.wiresharkAvailable) && wireshark.available());
    ipcMain.handle(IPC.wiresharkOpen, (event, pcap, name) =>
      trusted(event, IPC.wiresharkOpen) ? wireshark.open(pcap, name) : { ok: false, message: 'refused: not from the netloom window' },
    );
  }

  ipcMain.on(IPC.toHelper, (event, text) => {
    if (!trusted(event, IPC.toHelper)) return;
    if (typeof text !== 'string') return log(`ipc: dropped a message from the page that is not text (${typeof text})`);
    decode.page.push(text);
  });

  // The page is going away: what its helper says now belongs to no page. (Before the
  // first page is ready, a helper started early keeps its init for that page.)
  wc.on('did-start-navigation', (details) => {
    if (!details.isMainFrame || details.isSameDocument) return;
    listening = false;
    if (sessions > 0) held = [];
  });

  return {
    fromHelper(text) {
      decode.helper.push(text);
      const lines = fromHelperLines;
      fromHelperLines = [];
      for (const line of lines) page.fromHelper(line);
      // During a takeover the old page's last words go nowhere; the new page starts at init.
      if (takeover) {
        if (page.openIds.length === 0) finishTakeover();
        return;
      }
      toPage(lines);
    },
    helperCrashed(reason) {
      newSession();
      held = [];
      if (listening && !wc.isDestroyed()) wc.send(IPC.helperClosed, reason);
    },
    dispose() {
      endTakeover();
      ipcMain.removeAllListeners(IPC.rendererReady);
      ipcMain.removeAllListeners(IPC.toHelper);
      ipcMain.removeHandler?.(IPC.wiresharkAvailable);
      ipcMain.removeHandler?.(IPC.wiresharkOpen);
    },
  };
}
