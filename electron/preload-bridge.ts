import { IPC } from '../protocol/src/bridge.js';
import type { NetloomBridge, WiresharkBridge } from '../protocol/src/bridge.js';
import { desktopBridge } from './preload-desktop.js';

/** The two things of ipcRenderer the bridge uses (so tests need no Electron). */
export interface RendererIpc {
  send(channel: string, ...args: unknown[]): void;
  invoke?(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Queued = { kind: 'text'; value: string } | { kind: 'close'; value: string };

/** What the preload holds back while the page has no listener yet (a helper's init is ~100 B). */
const MAX_QUEUED = 256;

/**
 * The line pipe the page sees as `window.netloom`. Main may answer before the page's
 * scripts subscribe (the helper speaks first), so everything that arrives before the
 * first `onText` subscriber is queued and handed over one microtask later — after the
 * subscriber's `onClose` (HelperClient subscribes to both in its constructor) is in place.
 */
export function createBridge(ipc: RendererIpc): NetloomBridge {
  const textListeners = new Set<(text: string) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  let queue: Queued[] | null = [];

  const deliver = (item: Queued): void => {
    // Between a helper's close and the page's reconnect nobody listens: the next helper's
    // init must wait for the new client, not be lost (the client waits for init forever).
    if (queue === null && item.kind === 'text' && textListeners.size === 0) queue = [];
    if (queue !== null) {
      if (queue.length < MAX_QUEUED) queue.push(item);
      return;
    }
    const listeners = item.kind === 'text' ? textListeners : closeListeners;
    for (const cb of listeners) cb(item.value);
  };
  const flush = (): void => {
    const held = queue ?? [];
    queue = null;
    for (const item of held) deliver(item);
  };

  ipc.on(IPC.fromHelper, (_event, text) => {
    if (typeof text === 'string') deliver({ kind: 'text', value: text });
  });
  ipc.on(IPC.helperClosed, (_event, reason) => {
    deliver({ kind: 'close', value: typeof reason === 'string' ? reason : 'the helper stopped' });
  });
  ipc.send(IPC.rendererReady);

  return {
    send(text: string): void {
      if (typeof text === 'string') ipc.send(IPC.toHelper, text);
    },
    onText(cb: (text: string) => void): () => void {
      textListeners.add(cb);
      if (queue !== null) queueMicrotask(flush);
      return () => textListeners.delete(cb);
    },
    onClose(cb: (reason: string) => void): () => void {
      closeListeners.add(cb);
      return () => closeListeners.delete(cb);
    },
    ...(ipc.invoke ? { wireshark: wiresharkBridge(ipc.invoke.bind(ipc)), desktop: desktopBridge(ipc, ipc.invoke.bind(ipc)) } : {}),
  };
}

/** The Wireshark hand-off: main answers; whatever comes back is checked before the page sees it. */
function wiresharkBridge(invoke: (channel: string, ...args: unknown[]) => Promise<unknown>): WiresharkBridge {
  return {
    available: async () => (await invoke(IPC.wiresharkAvailable)) === true,
    open: async (pcap, name) => {
      const r = (await invoke(IPC.wiresharkOpen, pcap, name)) as { ok?: unknown; message?: unknown } | null;
      return { ok: r?.ok === true, message: typeof r?.message === 'string' ? r.message : 'Wireshark did not answer.' };
    },
  };
}
