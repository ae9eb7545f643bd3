import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interface, Namespace, Snapshot } from '../../protocol/src/index.js';
import { Snapshot as SnapshotSchema } from '../../protocol/src/index.js';
import { systemExec } from '../../helper/exec.js';
import { watchDockerEvents } from '../../helper/discover/runtimes/docker-events.js';
import type { DockerEvent } from '../../helper/discover/runtimes/docker-schemas.js';
import { TopologyCache } from '../../helper/discover/topology-cache.js';
import { resetSandbox, sh } from '../sandbox.js';
import { startDockerd, type DockerLab } from './docker-lab.js';

// Debian's real dockerd in the sandbox: three containers on three bridges, named through the Engine API.
describe('Docker by name (real dockerd in the sandbox)', () => {
  let d: DockerLab;
  let cache: TopologyCache;
  let snap: Snapshot;
  const pids: Record<string, number> = {};
  const before = process.env.DOCKER_HOST;

  const nsOf = (name: string): Namespace => {
    const n = snap.namespaces.find((x) => x.container?.name === name);
    if (n === undefined) throw new Error(`no namespace named ${name}: ${JSON.stringify(snap.namespaces.map((x) => x.container))}`);
    return n;
  };
  const iface = (id: string | null): Interface => {
    const i = snap.interfaces.find((x) => x.id === id);
    if (i === undefined) throw new Error(`no interface ${id}`);
    return i;
  };
  const hostNs = (): string => `ns:${/\d+/.exec(readlinkSync('/proc/self/ns/net'))?.[0] ?? ''}`;

  beforeAll(async () => {
    await resetSandbox();
    d = await startDockerd();
    process.env.DOCKER_HOST = `unix://${d.socket}`;
    await d.docker('network', 'create', '--subnet', '192.168.100.0/24', '--gateway', '192.168.100.1', 'my-bridge-network');
    await d.docker('network', 'create', '-o', 'com.docker.network.bridge.enable_icc=false', 'no-icc-network');
    await d.docker('run', '-d', '--name', 'web', '-p', '18080:80', 'bb:local', 'httpd', '-f', '-p', '80');
    await d.docker('run', '-d', '--name', 'app', '--network', 'my-bridge-network', 'bb:local', 'sleep', '3600');
    await d.docker('run', '-d', '--name', 'lonely', '--network', 'no-icc-network', 'bb:local', 'sleep', '3600');
    for (const n of ['web', 'app', 'lonely']) pids[n] = Number((await d.docker('inspect', '-f', '{{.State.Pid}}', n)).trim());
    cache = new TopologyCache(systemExec);
    snap = await cache.refreshAll();
  }, 60_000);

  afterAll(async () => {
    await d?.stop();
    if (before === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = before;
  }, 30_000);

  it('names each container\'s namespace, with its pid, image and networks', () => {
    expect(SnapshotSchema.safeParse(snap).success).toBe(true);
    for (const [name, net] of [['web', 'bridge'], ['app', 'my-bridge-network'], ['lonely', 'no-icc-network']] as const) {
      const n = nsOf(name);
      expect(n.kind).toBe('container');
      expect(n.pids).toContain(pids[name]);
      expect(n.container).toMatchObject({ runtime: 'docker', name, image: 'bb:local', networks: [net], pid: pids[name] });
      expect(n.container?.id).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(snap.notices ?? []).toEqual([]);
  });

  it('links eth0 ↔ host veth ↔ the network\'s bridge, and the bridge has the gateway address', () => {
    const nets = new Map((snap.runtimeNetworks ?? []).map((n) => [n.name, n]));
    for (const [name, net, gw] of [['web', 'bridge', '172.17.0.1'], ['app', 'my-bridge-network', '192.168.100.1'], ['lonely', 'no-icc-network', null]] as const) {
      const eth0 = snap.interfaces.find((i) => i.ns === nsOf(name).id && i.name === 'eth0');
      expect(eth0?.kind).toBe('veth');
      const hostEnd = iface(eth0?.peer ?? null);
      expect(hostEnd.ns).toBe(hostNs());
      const bridge = iface(hostEnd.master);
      const rn = nets.get(net);
      expect(rn?.bridge).toBe(bridge.id);
      expect(bridge.name).toBe(rn?.bridgeName);
      expect(bridge.addresses.map((a) => a.split('/')[0])).toContain(rn?.gateway);
      if (gw !== null) expect(rn?.gateway).toBe(gw);
    }
    expect(nets.get('bridge')?.bridgeName).toBe('docker0');
    expect(nets.get('my-bridge-network')?.bridgeName).toMatch(/^br-[0-9a-f]{12}$/);
    expect(nets.get('my-bridge-network')?.explanation[0]).toMatch(/^bridge network 'my-bridge-network' on br-[0-9a-f]{12}, 192\.168\.100\.0\/24 via 192\.168\.100\.1$/);
    expect(nets.get('no-icc-network')?.explanation).toContain('containers on no-icc-network cannot reach each other: enable_icc=false');
  });

  it('shows Docker\'s port mapping 18080 → web:80 on its eth0, reachable from the host, owned by docker', async () => {
    const webEth0 = snap.interfaces.find((i) => i.ns === nsOf('web').id && i.name === 'eth0');
    const m = snap.portMappings.find((x) => x.hostPort === 18080 && x.hostIp === '0.0.0.0');
    expect(m).toMatchObject({ ns: hostNs(), proto: 'tcp', targetIp: '172.17.0.2', targetPort: 80, targetInterface: webEth0?.id, localAccess: true, owner: 'docker' });
    expect(m?.chains).toEqual(['PREROUTING', 'OUTPUT', 'DOCKER']);
    expect(m?.proxyPids?.length).toBe(1);
    const rules = snap.rules.filter((r) => r.ns === hostNs() && (r.chain.startsWith('DOCKER') || r.spec.includes('docker0')));
    expect(rules.length).toBeGreaterThan(5);
    for (const r of rules.filter((x) => x.chain !== 'DOCKER-USER')) expect(r.owner, `${r.chain} ${r.spec}`).toBe('docker');
    const isolation = (snap.chains ?? []).find((c) => c.ns === hostNs() && c.table === 'filter' && c.chain === 'DOCKER-ISOLATION-STAGE-2');
    expect(isolation?.owner).toBe('docker');
    expect(isolation?.explanation).toMatch(/Docker networks cannot reach each other/);
    expect(await sh(['curl', '-s', '--max-time', '3', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:18080/'])).toMatch(/^[2-4]\d\d$/);
  });

  it('follows Docker\'s events: a new container is named after a rescan, a removed one goes', async () => {
    const ac = new AbortController();
    const events: DockerEvent[] = [];
    const watching = watchDockerEvents((e) => {
      events.push(e);
      cache.runtimes?.docker.onEvent(e);
    }, ac.signal);
    await new Promise((r) => setTimeout(r, 200));
    await d.docker('run', '-d', '--name', 'late', 'bb:local', 'sleep', '3600');
    const t0 = Date.now();
    snap = await cache.rescanNamespaces();
    const late = snap.namespaces.find((n) => n.container?.name === 'late');
    expect(late?.kind).toBe('container');
    expect(Date.now() - t0).toBeLessThan(1000);
    await d.docker('rm', '-f', 'late');
    snap = await cache.rescanNamespaces();
    expect(snap.namespaces.find((n) => n.container?.name === 'late')).toBeUndefined();
    ac.abort();
    await watching;
    expect(events.some((e) => e.Type === 'container' && e.Action === 'start' && e.Actor?.Attributes?.name === 'late')).toBe(true);
    expect(events.some((e) => e.Type === 'container' && e.Action === 'destroy')).toBe(true);
  }, 30_000);

  it('keeps the kernel\'s truth with a quiet notice when Docker\'s socket cannot be read', async () => {
    process.env.DOCKER_HOST = `unix://${d.dir}/nowhere.sock`;
    try {
      const s = await new TopologyCache(systemExec).refreshAll();
      const web = s.namespaces.find((n) => n.pids.includes(pids.web ?? -1));
      expect(web?.kind).toBe('process'); // the cgroup (netloom-test/<id>) does not say docker
      expect(s.interfaces.some((i) => i.name === 'docker0')).toBe(true);
      expect(s.notices).toContainEqual({
        level: 'info',
        message: `Docker is not running or its socket cannot be read (${d.dir}/nowhere.sock): containers are shown by namespace only.`,
      });
    } finally {
      process.env.DOCKER_HOST = `unix://${d.socket}`;
    }
  });
});
