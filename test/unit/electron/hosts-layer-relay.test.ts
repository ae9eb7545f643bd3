import { describe, expect, it } from 'vitest';
import { IPC } from '../../../protocol/src/bridge.js';
import { createIpcRelay } from '../../../electron/ipc.js';
import type { IpcRelay } from '../../../electron/ipc.js';
import { fakeWindow, location } from './fake-window.js';
import { layerOverFakes } from './fake-layer.js';

const INIT = '{"init":{"version":"1","capabilities":["topology"]}}\n';
const HOSTS_INIT = '{"init":{"version":"1","capabilities":["topology","hosts"]}}\n';

/** main.ts's wiring with fakes at the edges: relay ⇄ HostsLayer ⇄ supervisor. */
function setup(keep: boolean) {
  const { ipcMain, webContents, toPage, fromPage, navigateAway } = fakeWindow();
  let relay: IpcRelay | null = null;
  const { layer, conns, hosts } = layerOverFakes(() => relay);
  relay = createIpcRelay({ ipcMain, webContents, location, helper: layer, log: () => {}, keepHelperOnReload: () => keep });
  layer.start();
  conns[0]!.emit(INIT);
  hosts[0]!.say(HOSTS_INIT);
  fromPage(IPC.rendererReady);
  fromPage(IPC.toHelper, '{"id":1,"method":"topology.watch","params":{}}\n');
  hosts[0]!.say('{"id":1,"result":{"stream":1}}\n');
  const reload = () => {
    navigateAway();
    toPage.length = 0;
    fromPage(IPC.rendererReady);
  };
  return { toPage, conns, hosts, reload, fromPage };
}

describe('the relay over the host layer', () => {
  it("the page's init is the hosts process's, and its requests go to the hosts process", () => {
    const s = setup(false);
    expect(s.toPage[0]).toEqual([IPC.fromHelper, HOSTS_INIT]);
    expect(s.hosts[0]!.stdin).toEqual(['{"id":1,"method":"topology.watch","params":{}}\n']);
    expect(s.conns[0]!.sent).toEqual([]);
  });

  it('a reload with privileges keeps both processes: the old page is cancelled through the hosts process, the new page gets its init', () => {
    const s = setup(true);
    s.reload();
    expect([s.conns.length, s.hosts.length, s.conns[0]!.closed, s.hosts[0]!.closed]).toEqual([1, 1, false, false]);
    expect(s.hosts[0]!.stdin.at(-1)).toBe('{"cancel":{"id":1}}\n');
    expect(s.toPage).toEqual([]);
    s.hosts[0]!.say('{"stream":1,"end":{"reason":"cancelled"}}\n');
    expect(s.toPage).toEqual([[IPC.fromHelper, HOSTS_INIT]]);
  });

  it('a reload without privileges restarts both; the new page gets the new pair', () => {
    const s = setup(false);
    s.reload();
    expect([s.conns.length, s.hosts.length, s.conns[0]!.closed, s.hosts[0]!.closed]).toEqual([2, 2, true, true]);
    s.hosts[0]!.say('{"stream":1,"seq":3,"data":{}}\n');
    s.conns[1]!.emit(INIT);
    expect(s.hosts[1]!.fd3).toEqual([INIT]);
    s.hosts[1]!.say(HOSTS_INIT);
    expect(s.toPage).toEqual([[IPC.fromHelper, HOSTS_INIT]]);
  });

  it('the hosts process dying tells the page why (a new session), and its last words are dropped', () => {
    const s = setup(false);
    s.hosts[0]!.exit('the hosts process exited with code 1: boom');
    expect(s.toPage.at(-1)).toEqual([IPC.helperClosed, 'the hosts process exited with code 1: boom; restarting it in 1 s']);
    s.hosts[0]!.say('{"stream":1,"seq":3,"data":{}}\n');
    expect(s.toPage.at(-1)?.[0]).toBe(IPC.helperClosed);
  });
});
