import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../../protocol/src/bridge.js';
import { createIpcRelay } from '../../../electron/ipc.js';
import type { HelperPort } from '../../../electron/ipc.js';
import { fakeWindow, location } from './fake-window.js';

const INIT = '{"init":{"version":"0.1.0","capabilities":["topology"]}}';

function setup(keep: boolean) {
  const { ipcMain, webContents, toPage, fromPage, navigateAway } = fakeWindow();
  const toHelper: string[] = [];
  const helper: HelperPort & { restarts: number } = {
    running: true,
    restarts: 0,
    start() {},
    async restart() {
      this.restarts++;
    },
    send: (t) => (toHelper.push(t), true),
  };
  const logs: string[] = [];
  const relay = createIpcRelay({
    ipcMain,
    webContents,
    location,
    helper,
    log: (l) => logs.push(l),
    keepHelperOnReload: () => keep,
    takeoverTimeoutMs: 500,
  });
  // The first page: ready, gets init, opens a stream (1) and sends a request (2) still unanswered.
  fromPage(IPC.rendererReady);
  relay.fromHelper(`${INIT}\n`);
  fromPage(IPC.toHelper, '{"id":1,"method":"topology.watch","params":{}}\n{"id":2,"method":"plan.history","params":{}}\n');
  relay.fromHelper('{"id":1,"result":{"stream":1}}\n{"stream":1,"seq":0,"data":{}}\n');
  const reload = () => {
    navigateAway();
    toPage.length = 0;
    toHelper.length = 0;
    fromPage(IPC.rendererReady);
  };
  return { relay, helper, toPage, toHelper, logs, reload, fromPage };
}

afterEach(() => vi.useRealTimers());

describe('reloading the window keeps the privileged helper (no second system prompt)', () => {
  it("cancels the old page's open requests, drops their last words, then gives the new page the same init", () => {
    const s = setup(true);
    s.reload();
    expect(s.helper.restarts).toBe(0);
    expect(s.toHelper).toEqual(['{"cancel":{"id":1}}\n', '{"cancel":{"id":2}}\n']);
    s.relay.fromHelper('{"stream":1,"seq":1,"data":{}}\n{"id":2,"result":{"plans":[]}}\n');
    expect(s.toPage).toEqual([]);
    s.relay.fromHelper('{"stream":1,"end":{"reason":"cancelled"}}\n');
    expect(s.toPage).toEqual([[IPC.fromHelper, `${INIT}\n`]]);
    // The new page's own traffic flows as usual.
    s.fromPage(IPC.toHelper, '{"id":1,"method":"topology.get","params":{}}\n');
    expect(s.toHelper.at(-1)).toBe('{"id":1,"method":"topology.get","params":{}}\n');
    s.relay.fromHelper('{"id":1,"result":{}}\n');
    expect(s.toPage.at(-1)).toEqual([IPC.fromHelper, '{"id":1,"result":{}}\n']);
  });

  it('an old request that never ends: a fresh helper after the timeout', () => {
    vi.useFakeTimers();
    const s = setup(true);
    s.reload();
    vi.advanceTimersByTime(500);
    expect(s.helper.restarts).toBe(1);
    expect(s.logs.at(-1)).toMatch(/did not end; starting a fresh helper/);
  });

  it('an unprivileged helper is simply restarted for the reloaded page (cheap, no prompt)', () => {
    const s = setup(false);
    s.reload();
    expect(s.helper.restarts).toBe(1);
    expect(s.toHelper).toEqual([]);
  });
});
