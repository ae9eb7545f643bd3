import { afterEach, describe, expect, it } from 'vitest';
import { HelperClient } from '../../../../protocol/src/client.js';
import type { Transport } from '../../../../protocol/src/client.js';
import { HOSTS_CAPABILITY, MAX_HOSTS } from '../../../../protocol/src/host-methods.js';
import { applyPatch } from '../../../../protocol/src/patch.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import { HostSet } from '../../../../helper/hosts/host-set.js';
import { memoryPair as linePair } from '../../../../helper/hosts/memory-pair.js';
import { openDoor } from '../../../../helper/hosts/page-door.js';
import { serveConnection } from '../../../../helper/server/connection.js';
import { LiveTopology } from '../../../../helper/watch/live-topology.js';
import type { LiveWatcher } from '../../../../helper/watch/live-watcher.js';
import { fakeContext, FakeSource, memoryPair, snapshotWith } from '../server/fakes.js';
import { fakeHosts } from './fake-remote-host.js';

// "Add host…" (issue 14): a page's door to the local helper core — straight through while the
// canvas has no remote host, through the host router once one is added — and hosts.* answered there.

const tick = (ms = 10): Promise<void> => new Promise((r) => setTimeout(r, ms));
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((s) => s()));

function setup() {
  const source = new FakeSource(snapshotWith(['host', 'a']));
  const live = new LiveTopology(source, (): LiveWatcher => ({ stop: () => {}, monitorCount: () => 0 }));
  const ctx = fakeContext(live, { source });
  const fakes = fakeHosts();
  const hosts = new HostSet([], {}, fakes.make);
  let cores = 0;
  const core = (): Transport => {
    cores++;
    const [mine, theirs] = linePair();
    serveConnection(theirs, ctx);
    return mine;
  };
  const page = memoryPair();
  openDoor(page.server, hosts, core);
  const client = new HelperClient(page.client);
  stops.push(() => client.close());
  return { hosts, fakes, client, page, cores: () => cores };
}

function watch(client: HelperClient) {
  const seen: Snapshot[] = [];
  let picture: Snapshot | null = null;
  client.watch('topology.watch', {}, (d) => {
    picture = 'snapshot' in d ? d.snapshot : applyPatch(picture as Snapshot, d.patch);
    seen.push(picture);
  }, () => {});
  return { seen, last: () => picture };
}

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await tick(5);
  expect(ok()).toBe(true);
}

describe('the page door', () => {
  it('with no host: init says `hosts`, the local picture passes unchanged (no router, no hosts list)', async () => {
    const t = setup();
    const init = await t.client.ready;
    expect(init.capabilities).toContain(HOSTS_CAPABILITY);
    const w = watch(t.client);
    await until(() => w.last() !== null);
    expect(w.last()?.hosts).toBeUndefined();
    expect(w.last()?.namespaces.map((n) => n.id)).toEqual(['ns:100', 'ns:101']);
    expect(await t.client.call('hosts.list', {})).toEqual({ hosts: [] });
    expect(t.cores()).toBe(1);
  });

  it('a bad destination is refused naming the field, and nothing changes', async () => {
    const t = setup();
    const w = watch(t.client);
    await until(() => w.last() !== null);
    await expect(t.client.call('hosts.add', { target: { destination: '-oProxyCommand=x' } })).rejects.toMatchObject({ code: 'invalid', path: 'params.target.destination' });
    await expect(t.client.call('hosts.add', { target: { destination: 'a@b', port: 70000 } })).rejects.toMatchObject({ code: 'invalid', path: 'params.target.port' });
    await expect(t.client.call('hosts.add', { target: { destination: 'b' }, extra: 1 } as never)).rejects.toMatchObject({ code: 'invalid', path: 'params.extra' });
    expect(t.fakes.made).toHaveLength(0);
    expect(await t.client.call('hosts.list', {})).toEqual({ hosts: [] });
    // The connection still answers: one bad message closed nothing.
    expect((await t.client.call('topology.get', {})).namespaces).toHaveLength(2);
    expect(w.last()?.hosts).toBeUndefined();
  });

  it('an added host joins the open topology stream as a group, under the same stream; removing it ends its session', async () => {
    const t = setup();
    const w = watch(t.client);
    await until(() => w.last() !== null);
    const { host } = await t.client.call('hosts.add', { target: { destination: 'root@10.77.0.2', name: 'hostb' } });
    expect(host).toMatchObject({ name: 'hostb', state: 'connecting', destination: 'root@10.77.0.2' });
    expect(t.fakes.made[0]?.started).toBe(1);
    await until(() => w.last()?.hosts?.length === 2);
    expect(w.last()?.hosts?.map((h) => [h.name, h.state])).toEqual([['local', 'live'], ['hostb', 'connecting']]);
    expect(w.last()?.namespaces.map((n) => n.id)).toEqual(['ns:100', 'ns:101']);
    await expect(t.client.call('hosts.add', { target: { destination: 'other', name: 'hostb' } })).rejects.toMatchObject({ code: 'conflict', path: 'params.target.name' });
    expect(await t.client.call('hosts.remove', { name: 'hostb' })).toEqual({ removed: true });
    expect(t.fakes.made[0]?.closed).toBe(1);
    await until(() => w.last()?.hosts?.length === 1);
    await expect(t.client.call('hosts.remove', { name: 'hostb' })).rejects.toMatchObject({ code: 'not_found', path: 'params.name' });
  });

  it(`takes at most ${MAX_HOSTS} hosts`, async () => {
    const t = setup();
    for (let i = 0; i < MAX_HOSTS; i++) await t.client.call('hosts.add', { target: { destination: `h${i}` } });
    await expect(t.client.call('hosts.add', { target: { destination: 'one-more' } })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(`at most ${MAX_HOSTS}`) });
    expect(t.fakes.made).toHaveLength(MAX_HOSTS);
  });

  it('hosts.password goes to the host that asked, bounded, never echoed', async () => {
    const t = setup();
    await t.client.call('hosts.add', { target: { destination: 'asker@hostc' } });
    const host = t.fakes.made[0];
    if (!host) throw new Error('no host');
    await expect(t.client.call('hosts.password', { name: 'hostc', password: 'secret-1' })).rejects.toMatchObject({ code: 'conflict' });
    host.asking = true;
    const long = 'x'.repeat(1025);
    const tooLong = await t.client.call('hosts.password', { name: 'hostc', password: long }).catch((e: Error) => e);
    expect(tooLong).toMatchObject({ code: 'invalid', path: 'params.password' });
    expect((tooLong as Error).message).not.toContain('xxxx');
    await expect(t.client.call('hosts.password', { name: 'nope', password: 'secret-1' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.client.call('hosts.password', { name: 'hostc', password: 'secret-1' })).toEqual({ ok: true });
    expect(host.answers).toEqual(['secret-1']);
    // Nothing the page was sent holds the password.
    expect(t.page.sentByServer.join('')).not.toContain('secret-1');
  });

  it('a helper reached directly (no door) answers hosts.* unavailable', async () => {
    const source = new FakeSource(snapshotWith(['host']));
    const live = new LiveTopology(source, (): LiveWatcher => ({ stop: () => {}, monitorCount: () => 0 }));
    const pair = memoryPair();
    serveConnection(pair.server, fakeContext(live, { source }));
    const client = new HelperClient(pair.client);
    stops.push(() => client.close());
    await expect(client.call('hosts.list', {})).rejects.toMatchObject({ code: 'unavailable' });
  });
});
