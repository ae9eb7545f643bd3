import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Namespace, Snapshot } from '../../protocol/src/index.js';
import { Snapshot as SnapshotSchema } from '../../protocol/src/index.js';
import { systemExec } from '../../helper/exec.js';
import { PodmanSource } from '../../helper/discover/runtimes/podman.js';
import { Runtimes } from '../../helper/discover/runtimes/runtimes.js';
import { TopologyCache } from '../../helper/discover/topology-cache.js';
import { resetSandbox, sh } from '../sandbox.js';
import { CGROUP_ARGS, podmanInstalled, startPodman, type PodmanLab } from './podman-lab.js';
import { hostId, startWatchedHelper, type WatchedHelper } from './watched-helper.js';

// Debian 12's podman + netavark, rootful in the sandbox, asked through its libpod API socket.
// Skipped where podman is not installed (`apt-get install podman netavark`).
describe.skipIf(!podmanInstalled())('Podman by name (real podman in the sandbox)', () => {
  let p: PodmanLab;
  let snap: Snapshot;
  const pids: Record<string, number> = {};
  const nsOf = (name: string): Namespace | undefined => snap.namespaces.find((x) => x.container?.name === name);

  beforeAll(async () => {
    await resetSandbox();
    p = await startPodman();
    await p.podman('network', 'create', '--subnet', '10.89.5.0/24', 'pm-net');
    await p.podman('run', '-d', ...CGROUP_ARGS, '--name', 'pweb', '-p', '18081:80', 'localhost/bb:local', 'httpd', '-f', '-p', '80');
    await p.podman('run', '-d', ...CGROUP_ARGS, '--name', 'papp', '--network', 'pm-net', 'localhost/bb:local', 'sleep', '3600');
    for (const n of ['pweb', 'papp']) pids[n] = Number((await p.podman('inspect', '-f', '{{.State.Pid}}', n)).trim());
    const cache = new TopologyCache(systemExec, { runtimes: new Runtimes({ podman: new PodmanSource({ socketPath: p.socket }) }) });
    snap = await cache.refreshAll();
  }, 90_000);

  afterAll(async () => {
    await p?.stop();
    await resetSandbox();
  }, 30_000);

  it('names each container\'s namespace with its pid, image and network', () => {
    expect(SnapshotSchema.safeParse(snap).success).toBe(true);
    for (const [name, net] of [['pweb', 'podman'], ['papp', 'pm-net']] as const) {
      const n = nsOf(name);
      // netavark bind-mounts each container's namespace as /run/netns/netns-<uuid>: named, and a container.
      expect(n?.kind).toBe('named');
      expect(n?.name).toMatch(/^netns-[0-9a-f-]{36}$/);
      expect(n?.pids).toContain(pids[name]);
      expect(n?.container).toMatchObject({ runtime: 'podman', name, image: 'localhost/bb:local', networks: [net], pid: pids[name] });
    }
  });

  it('places netavark\'s networks on podman0 / podman1, each container\'s eth0 behind its bridge', () => {
    const nets = new Map((snap.runtimeNetworks ?? []).map((n) => [n.name, n]));
    for (const [name, net, bridgeName] of [['pweb', 'podman', 'podman0'], ['papp', 'pm-net', 'podman1']] as const) {
      const rn = nets.get(net);
      expect(rn?.bridgeName).toBe(bridgeName);
      const bridge = snap.interfaces.find((i) => i.id === rn?.bridge);
      expect(bridge?.name).toBe(bridgeName);
      const eth0 = snap.interfaces.find((i) => i.ns === nsOf(name)?.id && i.name === 'eth0');
      const hostEnd = snap.interfaces.find((i) => i.id === eth0?.peer);
      expect(hostEnd?.ns).toBe(hostId());
      expect(hostEnd?.master).toBe(bridge?.id);
    }
    expect(nets.get('pm-net')?.explanation[0]).toBe("bridge network 'pm-net' on podman1, 10.89.5.0/24 via 10.89.5.1");
  });

  it('shows netavark\'s port mapping 18081 → pweb:80, owned by podman, and it answers', async () => {
    const eth0 = snap.interfaces.find((i) => i.ns === nsOf('pweb')?.id && i.name === 'eth0');
    const ip = eth0?.addresses.find((a) => !a.includes(':'))?.split('/')[0];
    const m = snap.portMappings.find((x) => x.hostPort === 18081);
    expect(m).toMatchObject({ ns: hostId(), proto: 'tcp', targetIp: ip, targetPort: 80, targetInterface: eth0?.id, owner: 'podman' });
    const netavark = snap.rules.filter((r) => r.ns === hostId() && r.chain.startsWith('NETAVARK'));
    expect(netavark.length).toBeGreaterThan(5);
    for (const r of netavark) expect(r.owner, `${r.chain} ${r.spec}`).toBe('podman');
    expect(await sh(['curl', '-s', '--max-time', '3', '-o', '/dev/null', '-w', '%{http_code}', 'http://10.88.0.1:18081/'])).toMatch(/^[2-4]\d\d$/);
  });

  it('live: a podman container started while a client watches appears by name, and goes when removed', async () => {
    // netavark bind-mounts the namespace in /run/netns (inotify sees it) and libpod's event stream is followed.
    const w: WatchedHelper = await startWatchedHelper();
    try {
      const named = (s: Snapshot): boolean => s.namespaces.some((n) => n.container?.name === 'plate' && n.container.image === 'localhost/bb:local');
      let t0 = performance.now();
      await p.podman('run', '-d', ...CGROUP_ARGS, '--name', 'plate', 'localhost/bb:local', 'sleep', '3600');
      const runMs = performance.now() - t0;
      const shown = await w.until(named, { t0, limit: 3000 });
      // A network connect changes no namespace's existence: only libpod's event stream tells.
      const onNet = (s: Snapshot): boolean => s.namespaces.some((n) => n.container?.name === 'plate' && n.container.networks?.includes('pm-net') === true);
      t0 = performance.now();
      await p.podman('network', 'connect', 'pm-net', 'plate');
      const connectMs = performance.now() - t0;
      const connected = await w.until(onNet, { t0, limit: 3000 });
      console.log(`podman live: network connect → networks ${Math.round(connected)} ms (podman network connect took ${Math.round(connectMs)} ms)`);
      expect(connected - connectMs).toBeLessThan(2000);
      t0 = performance.now();
      await p.podman('rm', '-f', '-t', '0', 'plate');
      const rmMs = performance.now() - t0;
      const gone = await w.until((s) => !s.namespaces.some((n) => n.container?.name === 'plate'), { t0, limit: 3000 });
      console.log(`podman live: run → named ${Math.round(shown)} ms (podman run took ${Math.round(runMs)} ms); rm → gone ${Math.round(gone)} ms (podman rm took ${Math.round(rmMs)} ms)`);
      expect(shown - runMs).toBeLessThan(2000);
    } finally {
      w.helper.kill('SIGTERM');
    }
  }, 30_000);
});
