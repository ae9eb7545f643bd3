import { describe, expect, it, vi } from 'vitest';
import { IPC } from '../../../protocol/src/bridge.js';
import { HelperClient } from '../../../protocol/src/client.js';
import { createBridge } from '../../../electron/preload-bridge.js';
import type { RendererIpc } from '../../../electron/preload-bridge.js';

/** An ipcRenderer stand-in: records sends, lets the test play main's messages. */
function fakeIpc() {
  const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  const sent: [string, ...unknown[]][] = [];
  const ipc: RendererIpc = {
    send: (channel, ...args) => void sent.push([channel, ...args]),
    on: (channel, listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
  };
  const fromMain = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({}, ...args);
  };
  return { ipc, sent, fromMain };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('preload bridge', () => {
  it('says the page is ready once, and sends text on the to-helper channel only', () => {
    const { ipc, sent } = fakeIpc();
    const bridge = createBridge(ipc);
    bridge.send('{"id":1,"method":"topology.get"}\n');
    expect(sent).toEqual([[IPC.rendererReady], [IPC.toHelper, '{"id":1,"method":"topology.get"}\n']]);
  });

  it('exposes exactly send, onText and onClose', () => {
    expect(Object.keys(createBridge(fakeIpc().ipc)).sort()).toEqual(['onClose', 'onText', 'send']);
  });

  it('holds what arrives before the page subscribes, in order, then delivers it', async () => {
    const { ipc, fromMain } = fakeIpc();
    const bridge = createBridge(ipc);
    fromMain(IPC.fromHelper, 'a\n');
    fromMain(IPC.helperClosed, 'the helper exited with code 1');
    fromMain(IPC.fromHelper, 'b\n');
    const seen: string[] = [];
    bridge.onText((t) => seen.push(`text:${t}`));
    bridge.onClose((r) => seen.push(`close:${r}`));
    expect(seen).toEqual([]);
    await tick();
    expect(seen).toEqual(['text:a\n', 'close:the helper exited with code 1', 'text:b\n']);
    fromMain(IPC.fromHelper, 'c\n');
    expect(seen.at(-1)).toBe('text:c\n');
  });

  it('unsubscribes, and ignores non-text payloads', async () => {
    const { ipc, fromMain } = fakeIpc();
    const bridge = createBridge(ipc);
    const cb = vi.fn();
    const off = bridge.onText(cb);
    await tick();
    fromMain(IPC.fromHelper, { not: 'text' });
    fromMain(IPC.fromHelper, 'x\n');
    off();
    fromMain(IPC.fromHelper, 'y\n');
    expect(cb.mock.calls).toEqual([['x\n']]);
  });

  it('carries a HelperClient: the init sent before the page subscribed still makes it ready', async () => {
    const { ipc, fromMain } = fakeIpc();
    const bridge = createBridge(ipc);
    fromMain(IPC.fromHelper, '{"init":{"version":"1","capabilities":[]}}\n');
    const client = new HelperClient({ ...bridge, onText: (cb) => void bridge.onText(cb), onClose: (cb) => void bridge.onClose(cb), close: () => {} });
    await expect(client.ready).resolves.toEqual({ version: '1', capabilities: [] });
  });
});
