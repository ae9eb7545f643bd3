import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HelperClient } from '../../../protocol/src/client.js';
import type { NetloomBridge } from '../../../protocol/src/bridge.js';
import { launchHelper } from '../../../electron/helper-launcher.js';
import { HelperSupervisor } from '../../../electron/helper-supervisor.js';
import { createIpcRelay } from '../../../electron/ipc.js';
import type { IpcMainLike } from '../../../electron/ipc.js';
import { createBridge } from '../../../electron/preload-bridge.js';
import { rendererLocation } from '../../../electron/renderer-location.js';
import type { IpcSenderInfo } from '../../../electron/trusted-sender.js';
import { assertInSandbox } from '../../sandbox.js';

/**
 * Electron's main and preload halves, wired through an in-memory IPC, around the real
 * helper bundle (out/helper/netloom.cjs, run by this Node as Electron runs it in Node
 * mode): what the desktop app does, minus the window.
 */
const BUNDLE = join(__dirname, '../../../out/helper/netloom.cjs');
const PAGE = 'file:///app/out/renderer/index.html';

function desktop() {
  const children: ChildProcess[] = [];
  const handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => void>();
  const toPreload = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  const ipcMain: IpcMainLike = { on: (c, l) => handlers.set(c, l), removeAllListeners: (c) => handlers.delete(c) };
  const mainFrame: IpcSenderInfo = { sender: { id: 1 }, senderFrame: { parent: null, url: PAGE } };
  const logs: string[] = [];
  let relay: ReturnType<typeof createIpcRelay> | null = null;
  const supervisor = new HelperSupervisor(
    () =>
      launchHelper({
        spawn: (cmd, args, opts) => {
          const c = spawn(cmd, args, opts);
          children.push(c);
          return c;
        },
        execPath: process.execPath,
        bundlePath: BUNDLE,
        env: process.env,
        uid: process.getuid?.(),
        log: (l) => logs.push(l),
      }),
    { onText: (t) => relay?.fromHelper(t), onCrash: (r) => relay?.helperCrashed(r) },
  );
  relay = createIpcRelay({
    ipcMain,
    webContents: {
      id: 1,
      isDestroyed: () => false,
      on: () => {},
      // IPC is asynchronous; so is this.
      send: (channel, ...args) => setImmediate(() => toPreload.get(channel)?.forEach((l) => l({}, ...args))),
    },
    location: rendererLocation({ devUrl: undefined, isPackaged: true, indexHtml: '/app/out/renderer/index.html' }),
    helper: supervisor,
    log: (l) => logs.push(l),
  });
  supervisor.start();
  const bridge = createBridge({
    send: (channel, ...args) => setImmediate(() => handlers.get(channel)?.(mainFrame, ...args)),
    on: (channel, l) => toPreload.set(channel, [...(toPreload.get(channel) ?? []), l]),
  });
  return { supervisor, bridge, children, logs };
}

function clientOver(bridge: NetloomBridge): HelperClient {
  return new HelperClient({ send: (t) => bridge.send(t), onText: (cb) => void bridge.onText(cb), onClose: (cb) => void bridge.onClose(cb), close: () => {} });
}

function alive(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
}

let app: ReturnType<typeof desktop> | null = null;
beforeAll(() => assertInSandbox());
afterEach(async () => {
  await app?.supervisor.stop();
  app = null;
});

describe('desktop app relay around the real helper', () => {
  it('answers topology.get from the page; garbage from the page never reaches the helper', async () => {
    app = desktop();
    const client = clientOver(app.bridge);
    await expect(client.ready).resolves.toMatchObject({ version: '1' });
    app.bridge.send('{"exec":["sh","-c","id"]}\nnot json\n');
    const snap = await client.call('topology.get', {});
    expect(snap.namespaces.length).toBeGreaterThan(0);
    expect(app.logs.filter((l) => l.startsWith('ipc: dropped'))).toHaveLength(2);
  });

  it('restarts a killed helper after 1 s, tells the page, and leaves no helper behind on stop', async () => {
    app = desktop();
    const first = clientOver(app.bridge);
    await first.ready;
    const closed = new Promise<string>((r) => first.onClose(r));
    const t0 = Date.now();
    app.children[0]!.kill('SIGKILL');
    await expect(closed).resolves.toMatch(/killed by SIGKILL; restarting it in 1 s/);
    const second = clientOver(app.bridge);
    await second.ready;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect((await second.call('topology.get', {})).namespaces.length).toBeGreaterThan(0);
    const pids = app.children.map((c) => c.pid);
    await app.supervisor.stop();
    expect(pids.map(alive)).toEqual([false, false]);
  });
});
