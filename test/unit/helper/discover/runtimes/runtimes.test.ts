import { describe, expect, it } from 'vitest';
import type { FoundNamespace } from '../../../../../helper/discover/namespaces.js';
import { DockerSource } from '../../../../../helper/discover/runtimes/docker.js';
import { PodmanSource, PODMAN_STORAGE } from '../../../../../helper/discover/runtimes/podman.js';
import { Runtimes } from '../../../../../helper/discover/runtimes/runtimes.js';
import { RuntimeUnreachable } from '../../../../../helper/discover/runtimes/unix-http.js';
import { fixtureText, recordedEngine } from './docker-fixtures.js';

const ns = (inode: number, kind: FoundNamespace['kind'], processes: { pid: number; command: string }[], container: FoundNamespace['container'] = null): FoundNamespace => ({
  target: { id: `ns:${inode}`, path: `/proc/${processes[0]?.pid ?? 1}/ns/net`, name: null, own: kind === 'host' },
  inode,
  name: null,
  kind,
  pids: processes.map((p) => p.pid),
  processes,
  container,
});

// The recorded sandbox: web=295, app=357, lonely=441; docker-proxy and a dnsmasq in the host namespace.
const scan = (): FoundNamespace[] => [
  ns(1, 'host', [
    { pid: 10, command: 'dockerd' },
    { pid: 20, command: 'docker-proxy' },
    { pid: 21, command: 'docker-proxy' },
    { pid: 30, command: 'dnsmasq' },
  ]),
  ns(2, 'process', [{ pid: 295, command: 'httpd' }]),
  ns(3, 'process', [{ pid: 357, command: 'sleep' }]),
  ns(4, 'process', [{ pid: 441, command: 'sleep' }]),
  ns(5, 'container', [{ pid: 500, command: 'init' }], { runtime: 'lxc', id: 'c1', name: 'c1' }),
  ns(6, 'container', [{ pid: 600, command: 'nginx' }], { runtime: 'podman', id: 'a'.repeat(64), name: 'aaaaaaaaaaaa' }),
];
const files: Record<string, string> = {
  '/proc/20/cmdline': fixtureText('docker-proxy-1.cmdline'),
  '/proc/21/cmdline': fixtureText('docker-proxy-2.cmdline'),
  '/proc/30/cmdline': 'dnsmasq\0--listen-address\x0010.0.3.1\0--dhcp-range\x0010.0.3.2,10.0.3.254\0--interface=lxcbr0\0',
  '/var/lib/lxc/c1/config': 'lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\n',
  [PODMAN_STORAGE]: JSON.stringify([{ id: 'a'.repeat(64), names: ['pod-web'] }]),
};
const inodes: Record<number, number> = { 295: 2, 357: 3, 441: 4 };
const noPodman = new PodmanSource({ socketPath: '/nonexistent/podman.sock' });

function runtimes(docker: DockerSource, exists: (p: string) => boolean = () => false): Runtimes {
  return new Runtimes({
    docker,
    podman: noPodman,
    readText: (p) => Promise.resolve(files[p] ?? null),
    inodeOfPid: (pid) => Promise.resolve(inodes[pid] ?? null),
    exists,
  });
}

describe('Runtimes: the runtimes\' answers joined with the namespace scan', () => {
  it('names Docker, LXC and Podman containers, reads docker-proxy and lxc-net\'s dnsmasq', async () => {
    const rt = runtimes(new DockerSource({ get: recordedEngine().get, pidAlive: () => Promise.resolve(true) }));
    const view = await rt.view(await rt.ask(), scan());
    expect([...view.containersByInode].map(([ino, c]) => [ino, c.runtime, c.name, c.networks]).sort()).toEqual([
      [2, 'docker', 'web', ['bridge']],
      [3, 'docker', 'app', ['my-bridge-network']],
      [4, 'docker', 'lonely', ['no-icc-network']],
      [5, 'lxc', 'c1', ['lxcbr0']],
      [6, 'podman', 'pod-web', undefined],
    ]);
    expect(view.proxies.map((p) => [p.pid, p.ns, p.hostIp, p.hostPort, p.targetIp, p.targetPort]).sort()).toEqual([
      [20, 'ns:1', '0.0.0.0', 18080, '172.17.0.2', 80],
      [21, 'ns:1', '::', 18080, '172.17.0.2', 80],
    ]);
    expect(view.networks.map((n) => `${n.runtime}:${n.name}`)).toEqual(['docker:bridge', 'docker:host', 'docker:my-bridge-network', 'docker:no-icc-network', 'docker:none', 'lxc:lxcbr0']);
    expect(view.notices).toEqual([]);
  });

  it('a container sharing the host\'s namespace (--network host) leaves the host alone', async () => {
    inodes[357] = 1;
    try {
      const rt = runtimes(new DockerSource({ get: recordedEngine().get, pidAlive: () => Promise.resolve(true) }));
      const view = await rt.view(await rt.ask(), scan());
      expect(view.containersByInode.has(1)).toBe(false);
    } finally {
      inodes[357] = 3;
    }
  });

  it('an unreachable Docker: a quiet notice only where there are signs of Docker', async () => {
    const down = (): DockerSource => new DockerSource({ socketPath: '/run/docker.sock', get: () => Promise.reject(new RuntimeUnreachable('no-socket', 'ENOENT')) });
    const quiet = runtimes(down());
    const plain = [ns(1, 'host', [{ pid: 10, command: 'systemd' }])];
    expect((await quiet.view(await quiet.ask(), plain)).notices).toEqual([]);
    const withBridge = runtimes(down(), (p) => p === '/sys/class/net/docker0');
    const view = await withBridge.view(await withBridge.ask(), plain);
    expect(view.notices).toEqual([
      { level: 'info', message: 'Docker is not running or its socket cannot be read (/run/docker.sock): containers are shown by namespace only.' },
    ]);
    expect(view.containersByInode.size).toBe(0);
    // docker-proxy still running (dockerd gone) is a sign too, and its mappings are still drawn.
    const orphans = await quiet.view(await quiet.ask(), scan());
    expect(orphans.notices).toHaveLength(1);
    expect(orphans.proxies).toHaveLength(2);
  });
});
