import { describe, expect, it, vi } from 'vitest';
import { IPC } from '../../../protocol/src/bridge.js';
import { createIpcRelay } from '../../../electron/ipc.js';
import type { HelperPort, IpcMainLike, WebContentsLike } from '../../../electron/ipc.js';
import { rendererLocation } from '../../../electron/renderer-location.js';
import type { IpcSenderInfo } from '../../../electron/trusted-sender.js';

const INDEX = '/opt/netloom/resources/app.asar/out/renderer/index.html';
const PAGE = `file://${INDEX}`;
const WC_ID = 7;

function setup(opts: { devUrl?: string } = {}) {
  const handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => void>();
  const ipcMain: IpcMainLike = {
    on: (channel, listener) => handlers.set(channel, listener),
    removeAllListeners: (channel) => handlers.delete(channel),
  };
  const toPage: [string, unknown][] = [];
  let navigate: (d: { isMainFrame: boolean; isSameDocument: boolean }) => void = () => {};
  const webContents: WebContentsLike = {
    id: WC_ID,
    send: (channel, arg) => void toPage.push([channel, arg]),
    isDestroyed: () => false,
    on: (_event, listener) => (navigate = listener),
  };
  const toHelper: string[] = [];
  const helper: HelperPort & { restarts: number; starts: number } = {
    running: true,
    restarts: 0,
    starts: 0,
    start() {
      this.starts++;
    },
    async restart() {
      this.restarts++;
    },
    send: (text) => (toHelper.push(text), true),
  };
  const logs: string[] = [];
  const location = rendererLocation({ devUrl: opts.devUrl, isPackaged: opts.devUrl === undefined, indexHtml: INDEX });
  const relay = createIpcRelay({ ipcMain, webContents, location, helper, log: (l) => logs.push(l) });
  const fromPage = (channel: string, event: IpcSenderInfo, ...args: unknown[]) => handlers.get(channel)?.(event, ...args);
  return { relay, handlers, toPage, toHelper, helper, logs, fromPage, navigate: (d: Parameters<typeof navigate>[0]) => navigate(d) };
}

/** An event from our window's main frame showing our page, unless told otherwise. */
function ev(over: { id?: number; url?: string; parent?: unknown; frame?: null } = {}): IpcSenderInfo {
  return {
    sender: { id: over.id ?? WC_ID },
    senderFrame: over.frame === null ? null : { parent: over.parent ?? null, url: over.url ?? PAGE },
  };
}

const GET = '{"id":1,"method":"topology.get","params":{}}';

describe('ipc relay: who may talk to the helper', () => {
  it('forwards a request from our page', () => {
    const s = setup();
    s.fromPage(IPC.toHelper, ev(), `${GET}\n`);
    expect(s.toHelper).toEqual([`${GET}\n`]);
    expect(s.logs).toEqual([]);
  });

  it('accepts our page with a client-side route in the hash', () => {
    const s = setup();
    s.fromPage(IPC.toHelper, ev({ url: `${PAGE}#/ns/ns1` }), `${GET}\n`);
    expect(s.toHelper).toHaveLength(1);
  });

  it.each([
    ['another webContents', ev({ id: 99 }), /not come from the netloom window/],
    ['a sub-frame', ev({ parent: { url: PAGE } }), /sub-frame/],
    ['a frame that is gone', ev({ frame: null }), /frame is gone/],
    ['a web page', ev({ url: 'https://evil.example/' }), /not our page/],
    ['another local file', ev({ url: 'file:///tmp/evil.html' }), /not our page/],
    ['a dev server URL in a packaged app', ev({ url: 'http://localhost:5173/' }), /not our page/],
  ])('refuses %s and logs it', (_name, event, why) => {
    const s = setup();
    s.fromPage(IPC.toHelper, event, `${GET}\n`);
    s.fromPage(IPC.rendererReady, event);
    expect(s.toHelper).toEqual([]);
    expect(s.helper.restarts + s.helper.starts).toBe(0);
    expect(s.logs).toHaveLength(2);
    expect(s.logs[0]).toMatch(why);
  });

  it('in development trusts the dev server origin only', () => {
    const s = setup({ devUrl: 'http://localhost:5173/' });
    s.fromPage(IPC.toHelper, ev({ url: 'http://localhost:5173/index.html' }), `${GET}\n`);
    s.fromPage(IPC.toHelper, ev({ url: 'http://localhost:5174/' }), `${GET}\n`);
    s.fromPage(IPC.toHelper, ev({ url: PAGE }), `${GET}\n`);
    expect(s.toHelper).toHaveLength(1);
  });
});

describe('ipc relay: what reaches the helper', () => {
  it.each([
    ['not JSON', 'rm -rf /\n', /not JSON/],
    ['JSON that is no message', '{"exec":["sh","-c","reboot"]}\n', /not a request or cancel/],
    ['a request without a method', '{"id":1}\n', /not a request or cancel/],
    ['a cancel without an id', '{"cancel":{}}\n', /not a request or cancel/],
  ])('drops %s and logs it', (_name, line, why) => {
    const s = setup();
    s.fromPage(IPC.toHelper, ev(), line);
    expect(s.toHelper).toEqual([]);
    expect(s.logs[0]).toMatch(why);
  });

  it('drops a line over 1 MiB whole, and reads on at the next line', () => {
    const s = setup();
    s.fromPage(IPC.toHelper, ev(), `{"id":1,"method":"topology.get","params":"${'x'.repeat(1024 * 1024)}`);
    s.fromPage(IPC.toHelper, ev(), `"}\n${GET}\n`);
    expect(s.toHelper).toEqual([`${GET}\n`]);
    expect(s.logs).toEqual(['ipc: dropped an over-long line from the page']);
  });

  it('drops payloads that are not text', () => {
    const s = setup();
    s.fromPage(IPC.toHelper, ev(), { id: 1, method: 'topology.get' });
    expect(s.toHelper).toEqual([]);
    expect(s.logs[0]).toMatch(/not text/);
  });

  it('forwards only what was validated: unknown fields are stripped, lines may arrive in pieces', () => {
    const s = setup();
    s.fromPage(IPC.toHelper, ev(), '{"id":2,"method":"topology.watch","extra":"x"}\n{"cance');
    s.fromPage(IPC.toHelper, ev(), 'l":{"id":2}}\ngarbage\n');
    expect(s.toHelper).toEqual(['{"id":2,"method":"topology.watch"}\n', '{"cancel":{"id":2}}\n']);
    expect(s.logs).toHaveLength(1);
  });
});

describe('ipc relay: helper to page, one session per page', () => {
  const INIT = '{"init":{"version":"1","capabilities":[]}}';

  it("holds the early helper's init until the page is ready, then sends whole lines to our window", () => {
    const s = setup();
    s.navigate({ isMainFrame: true, isSameDocument: false }); // the first load starting
    s.relay.fromHelper(`${INIT}\n{"id":1,"res`);
    expect(s.toPage).toEqual([]);
    s.fromPage(IPC.rendererReady, ev());
    expect(s.toPage).toEqual([[IPC.fromHelper, `${INIT}\n`]]);
    expect(s.helper.restarts).toBe(0);
    s.relay.fromHelper('ult":{}}\n');
    expect(s.toPage[1]).toEqual([IPC.fromHelper, '{"id":1,"result":{}}\n']);
  });

  it('gives a reloaded page a fresh helper and none of the old one’s output', () => {
    const s = setup();
    s.fromPage(IPC.rendererReady, ev());
    s.navigate({ isMainFrame: true, isSameDocument: false });
    s.relay.fromHelper('{"stream":1,"seq":5,"data":{}}\n');
    s.fromPage(IPC.rendererReady, ev());
    expect(s.helper.restarts).toBe(1);
    expect(s.toPage).toEqual([]);
  });

  it('tells the page when the helper crashed, and passes the new helper’s init on', () => {
    const s = setup();
    s.fromPage(IPC.rendererReady, ev());
    s.relay.fromHelper('{"id":1,"resu');
    s.relay.helperCrashed('the helper exited with code 1; restarting it in 1 s');
    s.relay.fromHelper(`${INIT}\n`);
    expect(s.toPage).toEqual([
      [IPC.helperClosed, 'the helper exited with code 1; restarting it in 1 s'],
      [IPC.fromHelper, `${INIT}\n`],
    ]);
  });

  it('dispose removes its IPC handlers', () => {
    const s = setup();
    s.relay.dispose();
    expect(s.handlers.size).toBe(0);
  });
});

describe('the Wireshark hand-off channels', () => {
  it('answer only our own page; dispose removes them', async () => {
    const handles = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => unknown>();
    const opened: unknown[] = [];
    const ipcMain: IpcMainLike = {
      on: () => undefined,
      removeAllListeners: () => undefined,
      handle: (channel, listener) => void handles.set(channel, listener),
      removeHandler: (channel) => void handles.delete(channel),
    };
    const webContents: WebContentsLike = { id: WC_ID, send: () => {}, isDestroyed: () => false, on: () => {} };
    const helper: HelperPort = { running: true, start() {}, async restart() {}, send: () => true };
    const logs: string[] = [];
    const relay = createIpcRelay({
      ipcMain,
      webContents,
      location: rendererLocation({ devUrl: undefined, isPackaged: true, indexHtml: INDEX }),
      helper,
      log: (l) => logs.push(l),
      wireshark: { available: () => true, open: async (pcap) => (opened.push(pcap), { ok: true, message: 'opened' }) },
    });
    const ours: IpcSenderInfo = { sender: { id: WC_ID }, senderFrame: { parent: null, url: PAGE } };
    const foreign: IpcSenderInfo = { sender: { id: WC_ID }, senderFrame: { parent: null, url: 'https://example.invalid/' } };
    expect(await handles.get(IPC.wiresharkAvailable)?.(ours)).toBe(true);
    expect(await handles.get(IPC.wiresharkOpen)?.(ours, new Uint8Array(1), 'a')).toEqual({ ok: true, message: 'opened' });
    expect(await handles.get(IPC.wiresharkAvailable)?.(foreign)).toBe(false);
    expect(await handles.get(IPC.wiresharkOpen)?.(foreign, new Uint8Array(1), 'a')).toMatchObject({ ok: false });
    expect(opened).toHaveLength(1);
    expect(logs.filter((l) => l.includes('refused'))).toHaveLength(2);
    relay.dispose();
    expect(handles.size).toBe(0);
  });
});
