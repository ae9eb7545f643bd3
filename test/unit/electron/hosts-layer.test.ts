import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeConnection } from './fake-connection.js';
import { layerOverFakes } from './fake-layer.js';

const INIT = '{"init":{"version":"1","capabilities":["topology"]}}\n';
const ROOT_INIT = '{"init":{"version":"1","capabilities":["topology","control"]}}\n';
const HOSTS_INIT = '{"init":{"version":"1","capabilities":["topology","hosts"]}}\n';
const GET = '{"id":1,"method":"topology.get","params":{}}\n';
const WATCH = '{"id":"w1","method":"topology.watch","params":{}}\n';

/** The layer between a fake page (the relay's side) and the real supervisor over fake helpers. */
function setup(opts: { enabled?: boolean } = {}) {
  const page = { text: [] as string[], crashes: [] as string[] };
  return { ...layerOverFakes(() => ({ fromHelper: (t) => void page.text.push(t), helperCrashed: (r) => void page.crashes.push(r) }), opts), page };
}

/** Started, the core's init given to the hosts process, the hosts process's init to the page. */
function live(opts: { enabled?: boolean } = {}) {
  const s = setup(opts);
  s.layer.start();
  s.conns[0]!.emit(INIT);
  s.hosts[0]!.say(HOSTS_INIT);
  return s;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('HostsLayer: the page ⇄ netloom hosts --stdio ⇄ fd 3 ⇄ the helper', () => {
  it('joins them: page lines to its stdin, its stdout to the page, the core on its fd 3 both ways', () => {
    const s = setup();
    s.layer.start();
    expect([s.conns.length, s.hosts.length]).toEqual([1, 1]);
    s.conns[0]!.emit(INIT.slice(0, 10));
    s.conns[0]!.emit(INIT.slice(10));
    expect(s.hosts[0]!.fd3).toEqual([INIT]);
    expect(s.page.text).toEqual([]);
    s.hosts[0]!.say(HOSTS_INIT);
    expect(s.page.text).toEqual([HOSTS_INIT]);
    expect(s.layer.send(GET)).toBe(true);
    expect(s.hosts[0]!.stdin).toEqual([GET]);
    s.hosts[0]!.ask('{"id":"c1","method":"topology.get","params":{}}\nnot json\n{"hello":1}\n');
    expect(s.conns[0]!.sent).toEqual(['{"id":"c1","method":"topology.get","params":{}}\n']);
    expect(s.logs).toEqual(['hosts: dropped a line on fd 3 that is not JSON', 'hosts: dropped a message on fd 3 that is not a request or cancel']);
  });

  it('the helper crashes: its hosts process ends, the page hears why, and the restarted helper gets a new one for its init', () => {
    const s = live();
    s.conns[0]!.crash('the helper exited with code 1');
    expect(s.page.crashes).toEqual(['the helper exited with code 1; restarting it in 1 s']);
    expect(s.hosts[0]!.closed).toBe(true);
    s.hosts[0]!.say('{"id":9,"result":{}}\n');
    expect(s.page.text).toEqual([HOSTS_INIT]);
    vi.advanceTimersByTime(1000);
    expect([s.conns.length, s.hosts.length]).toEqual([2, 1]);
    s.conns[1]!.emit(INIT);
    expect(s.hosts).toHaveLength(2);
    expect(s.hosts[1]!.fd3).toEqual([INIT]);
    s.hosts[1]!.say(HOSTS_INIT);
    expect(s.page.text).toEqual([HOSTS_INIT, HOSTS_INIT]);
  });

  it('the privileged helper is adopted: a new hosts process for it at once; the old pair is heard no more', () => {
    const s = live();
    const root = new FakeConnection();
    s.sup.adopt(root, 'switching to the privileged helper');
    expect(s.page.crashes).toEqual(['switching to the privileged helper']);
    expect([s.hosts[0]!.closed, s.conns[0]!.closed, s.hosts.length]).toEqual([true, true, 2]);
    root.emit(ROOT_INIT);
    expect(s.hosts[1]!.fd3).toEqual([ROOT_INIT]);
    s.conns[0]!.emit('{"id":"c1","result":{}}\n');
    s.hosts[0]!.say('{"id":3,"result":{}}\n');
    s.hosts[0]!.ask('{"id":"c2","method":"topology.get"}\n');
    expect(s.hosts[0]!.fd3).toEqual([INIT]);
    expect(s.page.text).toEqual([HOSTS_INIT]);
    expect(root.sent).toEqual([]);
    s.layer.send(GET);
    expect(s.hosts[1]!.stdin).toEqual([GET]);
  });

  it("the relay's restart (a reload without privileges) restarts both, without a crash report", async () => {
    const s = live();
    await s.layer.restart();
    expect([s.conns[0]!.closed, s.hosts[0]!.closed, s.conns.length, s.hosts.length]).toEqual([true, true, 2, 2]);
    expect(s.page.crashes).toEqual([]);
    s.conns[1]!.emit(INIT);
    expect(s.hosts[1]!.fd3).toEqual([INIT]);
    expect(s.hosts[0]!.fd3).toEqual([INIT]);
  });

  it('the hosts process dies on its own: its streams at the helper are cancelled, the page hears why, it comes back with backoff on the same helper', () => {
    const s = live();
    s.hosts[0]!.ask(WATCH);
    s.conns[0]!.emit('{"id":"w1","result":{"stream":"w1"}}\n');
    s.hosts[0]!.exit('the hosts process exited with code 1: boom');
    expect(s.conns[0]!.sent).toEqual([WATCH, '{"cancel":{"id":"w1"}}\n']);
    expect(s.page.crashes).toEqual(['the hosts process exited with code 1: boom; restarting it in 1 s']);
    expect([s.layer.running, s.layer.send(GET)]).toEqual([false, false]);
    // The stream's end answers the dead process: nobody hears it.
    s.conns[0]!.emit('{"stream":"w1","end":{"reason":"cancelled"}}\n');
    vi.advanceTimersByTime(999);
    expect(s.hosts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    // The same helper (no second system prompt), its init given again to the new process.
    expect([s.conns.length, s.hosts.length]).toEqual([1, 2]);
    expect(s.hosts[1]!.fd3).toEqual([INIT]);
    s.hosts[1]!.say(HOSTS_INIT);
    s.hosts[1]!.exit('the hosts process exited with code 1: boom');
    expect(s.page.crashes.at(-1)).toBe('the hosts process exited with code 1: boom; restarting it in 2 s');
  });

  it('a dead hosts process whose streams never end: its replacement gets a fresh helper too', () => {
    const s = live();
    s.hosts[0]!.ask(WATCH);
    s.hosts[0]!.exit('the hosts process was killed by SIGKILL');
    vi.advanceTimersByTime(1000);
    expect(s.logs.at(-1)).toMatch(/1 request\(s\) of the hosts process that stopped did not end; starting a fresh helper too/);
    expect([s.conns[0]!.closed, s.conns.length, s.hosts.length]).toEqual([true, 2, 2]);
    s.conns[1]!.emit(INIT);
    expect(s.hosts[1]!.fd3).toEqual([INIT]);
  });

  it('the helper crashes while the hosts process waits out its backoff: one hosts process, for the new helper', () => {
    const s = live();
    s.hosts[0]!.exit('the hosts process exited with code 1');
    s.conns[0]!.crash('the helper exited with code 1');
    vi.advanceTimersByTime(1000);
    expect([s.conns.length, s.hosts.length]).toEqual([2, 1]);
    s.conns[1]!.emit(INIT);
    vi.advanceTimersByTime(60_000);
    expect(s.hosts).toHaveLength(2);
    expect(s.hosts[1]!.fd3).toEqual([INIT]);
  });

  it('a new page does not wait out the backoff', () => {
    const s = live();
    s.hosts[0]!.exit('the hosts process exited with code 1');
    vi.advanceTimersByTime(10);
    s.layer.start();
    expect(s.hosts).toHaveLength(2);
    expect(s.hosts[1]!.fd3).toEqual([INIT]);
  });

  it('app quit: the hosts process is closed and never started again', async () => {
    const s = live();
    s.hosts[0]!.exit('the hosts process exited with code 1');
    const t = setup();
    t.layer.start();
    await Promise.all([s.layer.stop(), t.layer.stop()]);
    expect(t.hosts[0]!.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect([s.hosts.length, t.hosts.length]).toEqual([1, 1]);
    t.conns[0]!.emit(INIT);
    expect(t.hosts[0]!.fd3).toEqual([]);
  });
});

describe('HostsLayer falls back to the direct path', () => {
  const UNKNOWN = 'netloom: unknown command "hosts"\nusage:\n  netloom snapshot';

  it('an old bundle without the hosts command: the page gets the helper itself, and why is logged', () => {
    const s = setup();
    s.layer.start();
    s.conns[0]!.emit(INIT);
    s.hosts[0]!.exit('the hosts process exited with code 2:   netloom snapshot', UNKNOWN);
    expect(s.page.text).toEqual([INIT]);
    expect(s.page.crashes).toEqual([]);
    expect(s.layer.active).toBe(false);
    expect(s.logs.at(-1)).toBe('hosts: netloom: unknown command "hosts"; running without the host layer (no Add host… in this window)');
    s.layer.send(GET);
    expect(s.conns[0]!.sent).toEqual([GET]);
    s.conns[0]!.emit('{"id":1,"result":{}}\n');
    expect(s.page.text.at(-1)).toBe('{"id":1,"result":{}}\n');
    vi.advanceTimersByTime(60_000);
    expect(s.hosts).toHaveLength(1);
  });

  it('the same when the hosts process is gone before the helper spoke', () => {
    const s = setup();
    s.layer.start();
    s.hosts[0]!.exit('the hosts process exited with code 2', UNKNOWN);
    s.conns[0]!.emit(INIT);
    expect(s.page.text).toEqual([INIT]);
  });

  it('after three deaths in a row without a word (a bundle whose command cannot run)', () => {
    const s = setup();
    s.layer.start();
    s.conns[0]!.emit(INIT);
    for (let i = 0; i < 2; i++) {
      s.hosts[i]!.exit('the hosts process exited with code 1: SyntaxError');
      vi.advanceTimersByTime(60_000);
    }
    expect(s.page.text).toEqual([]);
    s.hosts[2]!.exit('the hosts process exited with code 1: SyntaxError');
    expect(s.page.text).toEqual([INIT]);
    expect(s.logs.at(-1)).toMatch(/^hosts: the hosts process exited with code 1: SyntaxError \(3 times without a word\); running without/);
    expect(s.layer.active).toBe(false);
  });

  it('NETLOOM_DESKTOP_HOSTS=no (enabled: false): no hosts process; the relay and the supervisor as before', () => {
    const s = setup({ enabled: false });
    s.layer.start();
    expect(s.hosts).toHaveLength(0);
    s.conns[0]!.emit(INIT);
    expect(s.page.text).toEqual([INIT]);
    expect(s.layer.send(GET)).toBe(true);
    expect(s.conns[0]!.sent).toEqual([GET]);
    s.conns[0]!.crash('the helper exited with code 1');
    expect(s.page.crashes).toEqual(['the helper exited with code 1; restarting it in 1 s']);
  });
});
