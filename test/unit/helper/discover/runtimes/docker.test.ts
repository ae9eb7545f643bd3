import { describe, expect, it } from 'vitest';
import { DockerSource } from '../../../../../helper/discover/runtimes/docker.js';
import { RuntimeUnreachable } from '../../../../../helper/discover/runtimes/unix-http.js';
import { fixtureJson, recordedEngine } from './docker-fixtures.js';

const ids = Object.fromEntries(['web', 'app', 'lonely'].map((n) => [n, (fixtureJson(`container-${n}.json`) as { Id: string }).Id]));
const netId = (name: string): string => (fixtureJson('networks.json') as { Name: string; Id: string }[]).find((n) => n.Name === name)?.Id ?? '';
const alive = (): Promise<boolean> => Promise.resolve(true);

describe('DockerSource on recorded Engine API answers', () => {
  it('names each running container with its pid, image and networks', async () => {
    const engine = recordedEngine();
    const r = await new DockerSource({ get: engine.get, pidAlive: alive }).read();
    expect(r.unreachable).toBeNull();
    expect(r.containers.map((c) => [c.info.name, c.pid])).toEqual([
      ['app', 357],
      ['lonely', 441],
      ['web', 295],
    ]);
    const web = r.containers.find((c) => c.info.name === 'web')?.info;
    expect(web).toEqual({
      runtime: 'docker',
      id: ids.web,
      name: 'web',
      image: 'bb:local',
      networks: ['bridge'],
      pid: 295,
      endpoints: [{ network: 'bridge', ip: '172.17.0.2/16', gateway: '172.17.0.1', mac: '02:42:ac:11:00:02' }],
    });
  });

  it('explains the networks: bridges by kernel name, subnets, gateways and options', async () => {
    const r = await new DockerSource({ get: recordedEngine().get, pidAlive: alive }).read();
    const byName = new Map(r.networks.map((n) => [n.name, n]));
    expect([...byName.keys()]).toEqual(['bridge', 'host', 'my-bridge-network', 'no-icc-network', 'none']);
    // The default bridge's IPAM names no gateway: the containers' endpoints do.
    expect(byName.get('bridge')).toMatchObject({ bridgeName: 'docker0', subnet: '172.17.0.0/16', gateway: '172.17.0.1', driver: 'bridge' });
    const mine = byName.get('my-bridge-network');
    const br = `br-${netId('my-bridge-network').slice(0, 12)}`;
    expect(mine).toMatchObject({ bridgeName: br, subnet: '192.168.100.0/24', gateway: '192.168.100.1' });
    expect(mine?.explanation).toEqual([`bridge network 'my-bridge-network' on ${br}, 192.168.100.0/24 via 192.168.100.1`]);
    expect(byName.get('no-icc-network')?.explanation).toContain('containers on no-icc-network cannot reach each other: enable_icc=false');
    expect(byName.get('no-icc-network')?.options).toEqual({ 'com.docker.network.bridge.enable_icc': 'false' });
    expect(byName.get('host')?.bridgeName).toBeNull();
  });

  it('asks the lists every time but inspects a container only once, again after its event', async () => {
    const engine = recordedEngine();
    const src = new DockerSource({ get: engine.get, pidAlive: alive });
    await src.read();
    expect(engine.calls.filter((c) => c.endsWith('/json') && c.startsWith('/containers/') && c !== '/containers/json')).toHaveLength(3);
    engine.calls.length = 0;
    await src.read();
    expect(engine.calls.sort()).toEqual(['/containers/json', '/networks']);
    engine.calls.length = 0;
    src.onEvent({ Type: 'container', Action: 'restart', Actor: { ID: ids.web ?? '' } });
    await src.read();
    expect(engine.calls.sort()).toEqual(['/containers/json', `/containers/${ids.web}/json`, '/networks'].sort());
  });

  it('inspects again when a cached pid is gone (a restart without events)', async () => {
    const engine = recordedEngine();
    let up = true;
    const src = new DockerSource({ get: engine.get, pidAlive: (pid) => Promise.resolve(up || pid !== 295) });
    await src.read();
    engine.calls.length = 0;
    up = false;
    await src.read();
    expect(engine.calls).toContain(`/containers/${ids.web}/json`);
    expect(engine.calls).toHaveLength(3);
  });

  it('leaves out a container that stops between the list and its inspect', async () => {
    const engine = recordedEngine();
    const get = (path: string): Promise<unknown> => (path.includes(ids.app ?? '?') ? Promise.reject(new Error('404')) : engine.get(path));
    const r = await new DockerSource({ get, pidAlive: alive }).read();
    expect(r.containers.map((c) => c.info.name)).toEqual(['lonely', 'web']);
  });

  it('says why Docker could not be asked, and never throws', async () => {
    const down = new DockerSource({ get: () => Promise.reject(new RuntimeUnreachable('no-socket', 'ENOENT')) });
    expect(await down.read()).toEqual({
      runtime: 'docker',
      containers: [],
      networks: [],
      unreachable: 'Docker is not running or its socket cannot be read ((recorded))',
    });
    const denied = new DockerSource({ socketPath: '/run/docker.sock', get: () => Promise.reject(new RuntimeUnreachable('permission', 'EACCES')) });
    expect((await denied.read()).unreachable).toMatch(/permission denied/);
    const garbled = new DockerSource({ get: () => Promise.resolve({ not: 'a list' }) });
    expect((await garbled.read()).unreachable).toMatch(/does not understand/);
  });
});
