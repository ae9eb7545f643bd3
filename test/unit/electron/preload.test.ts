import { describe, expect, it, vi } from 'vitest';
import { IPC } from '../../../protocol/src/bridge.js';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { send: vi.fn(), on: vi.fn() },
}));
vi.mock('electron', () => electron);

describe('preload', () => {
  it('exposes one object, window.netloom, with send/onText/onClose — never ipcRenderer', async () => {
    await import('../../../electron/preload.js');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(name).toBe('netloom');
    expect(Object.keys(api).sort()).toEqual(['onClose', 'onText', 'send']);
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
    expect(electron.ipcRenderer.send).toHaveBeenCalledWith(IPC.rendererReady);
    expect(electron.ipcRenderer.on.mock.calls.map((c) => c[0]).sort()).toEqual([IPC.fromHelper, IPC.helperClosed].sort());
  });
});
