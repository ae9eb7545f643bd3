import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Namespace, Snapshot } from '../../protocol/src/index.js';
import { Snapshot as SnapshotSchema } from '../../protocol/src/index.js';
import { systemExec } from '../../helper/exec.js';
import { CriSource } from '../../helper/discover/runtimes/cri.js';
import { DockerSource } from '../../helper/discover/runtimes/docker.js';
import { PodmanSource } from '../../helper/discover/runtimes/podman.js';
import { Runtimes } from '../../helper/discover/runtimes/runtimes.js';
import { TopologyCache } from '../../helper/discover/topology-cache.js';
import { resetSandbox, sh } from '../sandbox.js';
import { criInstalled, SLEEP, startContainerd, type CriLab } from './cri-lab.js';
import { hostId, startWatchedHelper } from './watched-helper.js';

// A Kubernetes node's runtime side, real: Debian 12's containerd (CRI plugin) + containernetworking-
// plugins (bridge cni0 + portmap) in the sandbox, pods made through the CRI as the kubelet makes them.
const missing = criInstalled();
const lab0 = async (lines: string[]): Promise<void> => {
  for (const l of lines) await sh(l.split(' '));
};
const runtimes = (cri: CriSource): Runtimes =>
  new Runtimes({ docker: new DockerSource({ socketPath: '/nonexistent/docker.sock' }), podman: new PodmanSource({ socketPath: '/nonexistent/podman.sock' }), cri });

describe.skipIf(missing !== null)(`Kubernetes pods named from the CRI (containerd + CNI in the sandbox)${missing !== null ? ` — skipped: ${missing}` : ''}`, () => {
  let lab: CriLab;
  let snap: Snapshot;
  let plainSnap: Snapshot;
  const podNs = (name: string): Namespace | undefined => snap.namespaces.find((n) => n.container?.name === name);

  beforeAll(async () => {
    await resetSandbox();
    // The node's own address (node0, 10.77.0.10) and a client beyond it (namespace "client"),
    // so the hostPort is reached the way traffic from elsewhere reaches it: through PREROUTING.
    await lab0(['ip netns add client', 'ip link add node0 type veth peer name eth0 netns client', 'ip addr add 10.77.0.10/24 dev node0', 'ip link set node0 up',
      'ip -n client addr add 10.77.0.20/24 dev eth0', 'ip -n client link set eth0 up', 'ip -n client link set lo up']);
    lab = await startContainerd();
    await lab.runPod({ name: 'web', namespace: 'default', uid: 'uid-web-1', hostPort: 18080, containers: ['httpd', 'sidecar'] });
    await lab.runPod({ name: 'db', namespace: 'shop', uid: 'uid-db-1', containers: ['app'] });
    // Discovery with and without the CRI asked (the second read of each: the CRI source's
    // per-pod status is cached after the first).
    const plain = new TopologyCache(systemExec, { runtimes: runtimes(new CriSource({ sockets: [] })) });
    const named = new TopologyCache(systemExec, { runtimes: runtimes(new CriSource({ sockets: [lab.socket] })) });
    plainSnap = await plain.refreshAll();
    snap = await named.refreshAll();
    const t = async (c: TopologyCache): Promise<number> => {
      const t0 = performance.now();
      await c.refreshAll();
      return performance.now() - t0;
    };
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const without: number[] = [];
    const withCri: number[] = [];
    for (let i = 0; i < 5; i++) {
      without.push(await t(plain));
      withCri.push(await t(named));
    }
    const src = new CriSource({ sockets: [lab.socket] });
    const t0 = performance.now();
    await src.read();
    const first = performance.now() - t0;
    const t1 = performance.now();
    await src.read();
    console.log(`discovery, 2 pods (median of 5): without the CRI ${median(without).toFixed(0)} ms, with ${median(withCri).toFixed(0)} ms; the CRI read alone: first ${first.toFixed(1)} ms, then ${(performance.now() - t1).toFixed(1)} ms`);
  }, 90_000);

  afterAll(async () => {
    await lab?.stop();
    await resetSandbox();
  }, 30_000);

  it('names each pod\'s netns "pod NAMESPACE/NAME", runtime containerd (CRI), with its containers', () => {
    expect(SnapshotSchema.safeParse(snap).success).toBe(true);
    const web = podNs('pod default/web');
    expect(web?.name).toMatch(/^cni-[0-9a-f-]{36}$/);
    expect(web?.kind).toBe('named');
    expect(web?.container).toMatchObject({ runtime: 'containerd (CRI)', image: 'docker.io/netloom/bb:local', networks: ['netloom-pods'] });
    expect(web?.container?.pod).toMatchObject({ namespace: 'default', name: 'web', uid: 'uid-web-1' });
    expect(web?.container?.pod?.containers.map((c) => `${c.name} ${c.state}`)).toEqual(['httpd running', 'sidecar running']);
    expect(web?.pids).toContain(web?.container?.pid);
    expect(podNs('pod shop/db')?.container?.pod?.containers.map((c) => c.name)).toEqual(['app']);
    // Without the CRI the same namespace is only its netns file's name.
    expect(plainSnap.namespaces.find((n) => n.name === web?.name)?.container).toBeNull();
  });

  it('draws cni0 as the node\'s pod bridge, each pod\'s veth on it', () => {
    const net = snap.runtimeNetworks?.find((n) => n.name === 'netloom-pods');
    expect(net).toMatchObject({ runtime: 'containerd (CRI)', bridgeName: 'cni0', driver: 'bridge + portmap', subnet: '10.88.7.0/24', gateway: '10.88.7.1' });
    const cni0 = snap.interfaces.find((i) => i.id === net?.bridge);
    expect(cni0).toMatchObject({ name: 'cni0', ns: hostId(), kind: 'bridge' });
    for (const pod of ['pod default/web', 'pod shop/db']) {
      const eth0 = snap.interfaces.find((i) => i.ns === podNs(pod)?.id && i.name === 'eth0');
      const hostEnd = snap.interfaces.find((i) => i.id === eth0?.peer);
      expect(hostEnd?.name).toMatch(/^veth/);
      expect(hostEnd?.master).toBe(cni0?.id);
    }
  });

  it('shows the hostPort 18080 → web:80 (portmap\'s CNI-HOSTPORT-DNAT), and it answers on the node\'s address', async () => {
    const eth0 = snap.interfaces.find((i) => i.ns === podNs('pod default/web')?.id && i.name === 'eth0');
    const ip = eth0?.addresses.find((a) => !a.includes(':'))?.split('/')[0];
    const m = snap.portMappings.find((x) => x.hostPort === 18080);
    expect(m).toMatchObject({ ns: hostId(), proto: 'tcp', targetIp: ip, targetPort: 80, targetInterface: eth0?.id, localAccess: true });
    expect(m?.chains).toContain('CNI-HOSTPORT-DNAT');
    // portmap's and bridge's chains are the node's (Kubernetes'), not podman's as the chain name alone suggests.
    expect(m?.owner).toBe('kube');
    const cni = snap.rules.filter((r) => r.ns === hostId() && (r.chain.startsWith('CNI-') || (r.target ?? '').startsWith('CNI-')));
    expect(cni.length).toBeGreaterThan(5);
    for (const r of cni) expect(r.owner, `${r.chain} ${r.spec}`).toBe('kube');
    expect(m?.chains.some((c) => c.startsWith('CNI-DN-'))).toBe(true);
    expect(await sh(['ip', 'netns', 'exec', 'client', 'curl', '-s', '--noproxy', '*', '--max-time', '3', 'http://10.77.0.10:18080/'])).toBe('hello from default/web\n');
    // From the node itself (OUTPUT → CNI-HOSTPORT-DNAT), as the mapping's localAccess says.
    expect(await sh(['curl', '-s', '--noproxy', '*', '--max-time', '3', 'http://10.77.0.10:18080/'])).toBe('hello from default/web\n');
  });

  it('live: a pod run while a client watches appears by name, a container started later joins it, and it goes when removed', async () => {
    // The built helper asks the lab's socket (crictl's variable) and follows containerd's events:
    // a container started in a running pod changes no namespace, only the event says it.
    const w = await startWatchedHelper({ CONTAINER_RUNTIME_ENDPOINT: `unix://${lab.socket}` });
    try {
      await w.until((s) => s.namespaces.some((n) => n.container?.name === 'pod default/web'), { limit: 10_000 });
      const live = (s: Snapshot): Namespace | undefined => s.namespaces.find((n) => n.container?.name === 'pod default/live');
      let t0 = performance.now();
      const id = await lab.runPod({ name: 'live', namespace: 'default', uid: 'uid-live-1' });
      const came = await w.until((s) => live(s) !== undefined, { t0, limit: 10_000 });
      t0 = performance.now();
      await lab.addContainer(id, 'late', SLEEP);
      const joined = await w.until((s) => live(s)?.container?.pod?.containers.some((c) => c.name === 'late' && c.state === 'running') === true, { t0, limit: 10_000 });
      t0 = performance.now();
      await lab.removePod(id);
      const went = await w.until((s) => live(s) === undefined, { t0, limit: 10_000 });
      console.log(`live: pod named ${came.toFixed(0)} ms after RunPodSandbox returned; a later container listed ${joined.toFixed(0)} ms after StartContainer; pod gone ${went.toFixed(0)} ms after RemovePodSandbox`);
    } finally {
      w.helper.kill('SIGTERM');
    }
  }, 50_000);

  it('a removed pod goes from the picture', async () => {
    const id = await lab.runPod({ name: 'gone', namespace: 'default', uid: 'uid-gone-1' });
    const cache = new TopologyCache(systemExec, { runtimes: runtimes(new CriSource({ sockets: [lab.socket] })) });
    expect((await cache.refreshAll()).namespaces.some((n) => n.container?.name === 'pod default/gone')).toBe(true);
    await lab.removePod(id);
    expect((await cache.refreshAll()).namespaces.some((n) => n.container?.name === 'pod default/gone')).toBe(false);
  });
});
