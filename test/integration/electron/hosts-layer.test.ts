import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HelperClient } from '../../../protocol/src/client.js';
import type { NetloomBridge } from '../../../protocol/src/bridge.js';
import { helperCommand, launchHelper } from '../../../electron/helper-launcher.js';
import { HelperSupervisor } from '../../../electron/helper-supervisor.js';
import { HostsLayer } from '../../../electron/hosts-layer.js';
import { spawnHostsProcess } from '../../../electron/hosts-process.js';
import { createIpcRelay } from '../../../electron/ipc.js';
import type { IpcMainLike, IpcRelay } from '../../../electron/ipc.js';
import { createBridge } from '../../../electron/preload-bridge.js';
import { rendererLocation } from '../../../electron/renderer-location.js';
import type { IpcSenderInfo } from '../../../electron/trusted-sender.js';
import { applyPatch } from '../../../protocol/src/patch.js';
import type { Snapshot } from '../../../protocol/src/snapshot.js';
import { assertInSandbox } from '../../sandbox.js';
import { until as waitUntil } from '../../until.js';
import { startSshLab, type SshHost } from '../ssh-lab.js';

/**
 * main.ts's wiring — relay ⇄ HostsLayer ⇄ supervisor — around the real bundle, run by this Node
 * as Electron runs it in Node mode: the core (`helper --stdio`) and `hosts --stdio` with its fd 3
 * joined to it. No window, no Electron binary (there is none on this machine).
 */
const BUNDLE = join(__dirname, '../../../out/helper/netloom.cjs');
const PAGE = 'file:///app/out/renderer/index.html';
/** What a bundle from before the host layer says to `hosts --stdio` (its first stderr line, exit 2). */
const OLD_BUNDLE = ['-e', `process.stderr.write('netloom: unknown command "hosts"\\n'); process.exit(2)`];

/** `keepHelperOnReload`: play the privileged helper, which a reload takes over instead of restarting; `oldBundle`: a hosts command that does not exist. */
function desktop(opts: { keepHelperOnReload?: boolean; oldBundle?: boolean; sshConfig?: string } = {}) {
  const cores: ChildProcess[] = [];
  const hostsProcs: ChildProcess[] = [];
  const handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => void>();
  const toPreload = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  const ipcMain: IpcMainLike = { on: (c, l) => handlers.set(c, l), removeAllListeners: (c) => handlers.delete(c) };
  const mainFrame: IpcSenderInfo = { sender: { id: 1 }, senderFrame: { parent: null, url: PAGE } };
  const logs: string[] = [];
  const log = (l: string) => void logs.push(l);
  const track = (into: ChildProcess[]) => (cmd: string, args: readonly string[], opts: SpawnOptions) => {
    const c = spawn(cmd, args, opts);
    into.push(c);
    return c;
  };
  let relay: IpcRelay | null = null;
  let navigate: (d: { isMainFrame: boolean; isSameDocument: boolean }) => void = () => {};
  const supervisor = new HelperSupervisor(
    () => launchHelper({ spawn: track(cores), execPath: process.execPath, runAsNode: false, bundlePath: BUNDLE, env: process.env, uid: process.getuid?.(), log }),
    { onText: (t) => hosts.coreText(t), onCrash: (r) => hosts.coreCrashed(r), onSwitch: (r) => hosts.coreSwitched(r) },
  );
  const hosts: HostsLayer = new HostsLayer({
    core: supervisor,
    page: () => relay,
    spawnHosts: () => {
      const cmd = helperCommand({ execPath: process.execPath, runAsNode: false, bundlePath: BUNDLE, env: process.env }, ['hosts', '--stdio', ...(opts.sshConfig !== undefined ? ['--ssh-config', opts.sshConfig] : [])]);
      return spawnHostsProcess({ spawn: track(hostsProcs), ...cmd, ...(opts.oldBundle === true ? { args: OLD_BUNDLE } : {}), log });
    },
    log,
  });
  relay = createIpcRelay({
    ipcMain,
    webContents: { id: 1, isDestroyed: () => false, on: (_e, l) => void (navigate = l), send: (channel, ...args) => setImmediate(() => toPreload.get(channel)?.forEach((l) => l({}, ...args))) },
    location: rendererLocation({ devUrl: undefined, isPackaged: true, indexHtml: '/app/out/renderer/index.html' }),
    helper: hosts,
    log,
    keepHelperOnReload: () => opts.keepHelperOnReload === true,
  });
  hosts.start();
  const preload = () =>
    createBridge({
      send: (channel, ...args) => setImmediate(() => handlers.get(channel)?.(mainFrame, ...args)),
      on: (channel, l) => toPreload.set(channel, [...(toPreload.get(channel) ?? []), l]),
    });
  const bridge = preload();
  /** The window reloads: the old page's listeners go, a new preload says it is ready. */
  const reload = (): NetloomBridge => {
    navigate({ isMainFrame: true, isSameDocument: false });
    toPreload.clear();
    return preload();
  };
  const stop = () => Promise.all([hosts.stop(), supervisor.stop()]);
  return { hosts, bridge, reload, cores, hostsProcs, logs, stop };
}

function clientOver(bridge: NetloomBridge): HelperClient {
  return new HelperClient({ send: (t) => bridge.send(t), onText: (cb) => void bridge.onText(cb), onClose: (cb) => void bridge.onClose(cb), close: () => {} });
}

/** Polls an async condition (the remote host's processes) until it holds. */
async function until(ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  let last = false;
  const poll = async () => (last = await ok());
  await poll();
  const timer = setInterval(() => void poll(), 200);
  try {
    await waitUntil(() => last, ms);
  } finally {
    clearInterval(timer);
  }
}
/** No helper of ours is left running on the host. */
const remoteHelpersGone = async (h: SshHost): Promise<boolean> => (await h.run(['pgrep', '-f', 'netloom.cjs']).catch(() => '')).trim() === '';

const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

let app: ReturnType<typeof desktop> | null = null;
beforeAll(() => assertInSandbox());
afterEach(async () => {
  await app?.stop();
  app = null;
});

describe('the desktop host layer around the real bundle', () => {
  it('the page speaks to netloom hosts --stdio: its init lists hosts, hosts.list and topology.get answer', async () => {
    app = desktop();
    const client = clientOver(app.bridge);
    expect((await client.ready).capabilities).toContain('hosts');
    await expect(client.call('hosts.list', {})).resolves.toEqual({ hosts: [] });
    expect((await client.call('topology.get', {})).namespaces.length).toBeGreaterThan(0);
    expect([app.cores.length, app.hostsProcs.length]).toEqual([1, 1]);
  });

  it('a killed helper: the page is told, a new helper and a new hosts process, and the page speaks to them', async () => {
    app = desktop();
    const first = clientOver(app.bridge);
    await first.ready;
    const closed = new Promise<string>((r) => first.onClose(r));
    app.cores[0]!.kill('SIGKILL');
    await expect(closed).resolves.toMatch(/killed by SIGKILL; restarting it in 1 s/);
    const second = clientOver(app.bridge);
    expect((await second.ready).capabilities).toContain('hosts');
    expect((await second.call('topology.get', {})).namespaces.length).toBeGreaterThan(0);
    expect([app.cores.length, app.hostsProcs.length, exited(app.hostsProcs[0]!)]).toEqual([2, 2, true]);
  });

  it('a killed hosts process: the page is told, it comes back on the same helper; quit leaves nothing running', async () => {
    app = desktop();
    const first = clientOver(app.bridge);
    await first.ready;
    const closed = new Promise<string>((r) => first.onClose(r));
    app.hostsProcs[0]!.kill('SIGKILL');
    await expect(closed).resolves.toMatch(/the hosts process was killed by SIGKILL; restarting it in 1 s/);
    const second = clientOver(app.bridge);
    expect((await second.ready).capabilities).toContain('hosts');
    expect((await second.call('topology.get', {})).namespaces.length).toBeGreaterThan(0);
    expect([app.cores.length, app.hostsProcs.length]).toEqual([1, 2]);
    await app.stop();
    expect([...app.cores, ...app.hostsProcs].map(exited)).toEqual([true, true, true]);
    expect(app.hostsProcs[1]!.exitCode).toBe(0);
  });

  it('a reload with privileges keeps both processes: the old page is cancelled through the hosts process, the new page gets its init', async () => {
    app = desktop({ keepHelperOnReload: true });
    const first = clientOver(app.bridge);
    await first.ready;
    // The old page has a stream open: the new page's init waits until it has ended at the core.
    await new Promise<void>((resolve) => first.watch('topology.watch', {}, () => resolve(), () => {}));
    const second = clientOver(app.reload());
    expect((await second.ready).capabilities).toContain('hosts');
    expect((await second.call('topology.get', {})).namespaces.length).toBeGreaterThan(0);
    expect([app.cores.length, app.hostsProcs.length]).toEqual([1, 1]);
    expect(app.logs.filter((l) => /did not end/.test(l))).toEqual([]);
  });

  it('an old bundle without the hosts command: the page gets the helper directly, and the log says why', async () => {
    app = desktop({ oldBundle: true });
    const client = clientOver(app.bridge);
    expect((await client.ready).capabilities).not.toContain('hosts');
    expect((await client.call('topology.get', {})).namespaces.length).toBeGreaterThan(0);
    expect(app.hosts.active).toBe(false);
    expect(app.logs).toContain('hosts: netloom: unknown command "hosts"; running without the host layer (no Add host… in this window)');
  });

  it('Add host from the window: hosts.add through the relay, the layer and the hosts process reaches an ssh host; its namespaces join the open picture; remove leaves nothing there', async () => {
    const lab = await startSshLab(['hosta']);
    try {
      const [a] = lab.hosts as [SshHost];
      await a.run(['ip', 'netns', 'add', 'only-on-a']);
      app = desktop({ sshConfig: lab.config });
      const client = clientOver(app.bridge);
      await client.ready;
      let picture: Snapshot | null = null;
      client.watch('topology.watch', {}, (d) => (picture = 'snapshot' in d ? d.snapshot : picture ? applyPatch(picture, d.patch) : null), () => {});
      await client.call('hosts.add', { target: { destination: `root@${a.addr}`, name: 'hosta' } });
      await until(() => (picture?.namespaces ?? []).some((n) => n.name === 'only-on-a' && n.id.startsWith('host:hosta/')), 20_000);
      expect((await a.run(['pgrep', '-f', 'netloom.cjs'])).trim()).not.toBe('');
      await client.call('hosts.remove', { name: 'hosta' });
      await until(() => !(picture?.namespaces ?? []).some((n) => n.id.startsWith('host:hosta/')), 10_000);
      await until(() => remoteHelpersGone(a), 10_000);
    } finally {
      await app?.stop();
      app = null;
      await lab.close();
    }
  }, 60_000);
});
