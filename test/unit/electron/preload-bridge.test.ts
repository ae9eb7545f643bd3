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

describe('preload bridge: a helper that comes back while the page reconnects', () => {
  it("holds the next helper's text until the page's new client subscribes", async () => {
    const { ipc, fromMain } = fakeIpc();
    const bridge = createBridge(ipc);
    const first: string[] = [];
    const off = bridge.onText((t) => first.push(t));
    await tick();
    fromMain(IPC.helperClosed, 'switching to the privileged helper');
    off();
    fromMain(IPC.fromHelper, '{"init":{}}\n');
    const second: string[] = [];
    bridge.onText((t) => second.push(t));
    await tick();
    expect(first).toEqual([]);
    expect(second).toEqual(['{"init":{}}\n']);
  });
});

describe('preload bridge: the desktop part (window.netloom.desktop)', () => {
  function desktopIpc(answers: Record<string, unknown>) {
    const f = fakeIpc();
    const invoked: unknown[][] = [];
    const ipc: RendererIpc = { ...f.ipc, invoke: async (channel, ...args) => (invoked.push([channel, ...args]), answers[channel]) };
    return { ...f, ipc, invoked };
  }

  it('passes only valid menu commands, themes and privilege states to the page', () => {
    const f = desktopIpc({});
    const desktop = createBridge(f.ipc).desktop!;
    const seen: unknown[] = [];
    desktop.onMenu((c) => seen.push(c));
    desktop.onTheme((c) => seen.push(c));
    desktop.onPrivilege((p) => seen.push(p));
    f.fromMain(IPC.menuCommand, 'layout.save');
    f.fromMain(IPC.menuCommand, 'rm -rf');
    f.fromMain(IPC.themeChanged, 'dark');
    f.fromMain(IPC.themeChanged, 'neon');
    f.fromMain(IPC.privilegeChanged, { state: 'unprivileged', reason: 'refused' });
    f.fromMain(IPC.privilegeChanged, { state: 'god' });
    expect(seen).toEqual(['layout.save', 'dark', { state: 'unprivileged', reason: 'refused' }]);
  });

  it("checks main's answers: a malformed one becomes a failure the page can show", async () => {
    const f = desktopIpc({ [IPC.saveFile]: { status: 'saved', path: '/home/u/lab.json' }, [IPC.openFile]: { status: 'opened', name: 3 } });
    const desktop = createBridge(f.ipc).desktop!;
    expect(await desktop.saveFile({ kind: 'layout', name: 'lab.json', data: '{}' })).toEqual({ status: 'saved', path: '/home/u/lab.json' });
    expect(await desktop.openFile({ kind: 'layout' })).toEqual({ status: 'failed', message: 'Open: main gave an answer netloom does not understand' });
    desktop.setTheme('light');
    expect(f.sent.at(-1)).toEqual([IPC.setTheme, 'light']);
    expect(f.invoked.map((c) => c[0])).toEqual([IPC.saveFile, IPC.openFile]);
  });
});
