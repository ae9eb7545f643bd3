import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInSandbox, sh } from '../sandbox.js';
import { removeCgroupsNamed } from './cgroups.js';

/**
 * Debian 12's podman (4.3.1, netavark) run rootful inside the sandbox, like docker-lab.ts:
 * storage (vfs), runroot and network configs in a temp dir, a private copy of /etc/containers
 * bind-mounted over the real one (the sandbox's own mount namespace), its own cgroup parent,
 * and a busybox image imported from busybox-static. Nothing is pulled. The API service listens
 * on /run/podman/podman.sock — the sandbox's private /run.
 */
export interface PodmanLab {
  podman: (...args: string[]) => Promise<string>;
  socket: string;
  stop: () => Promise<void>;
}

const CGROUP_PARENT = 'netloom-podman';
export const podmanInstalled = (): boolean => existsSync('/usr/bin/podman') && existsSync('/usr/lib/podman/netavark');

export async function startPodman(): Promise<PodmanLab> {
  assertInSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'netloom-podman-'));
  cpSync('/etc/containers', join(dir, 'etc'), { recursive: true });
  writeFileSync(join(dir, 'etc', 'containers.conf'), '[network]\nnetwork_backend = "netavark"\n');
  await sh(['mount', '--bind', join(dir, 'etc'), '/etc/containers']);
  const global = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--tmpdir', join(dir, 'tmp'), '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--network-config-dir', join(dir, 'net')];
  const podman = (...args: string[]): Promise<string> => sh(['podman', ...global, ...args]);
  const root = join(dir, 'rootfs');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  for (const a of ['sh', 'httpd', 'sleep']) symlinkSync('busybox', join(root, 'bin', a));
  await sh(['tar', '-C', root, '-cf', join(dir, 'root.tar'), '.']);
  await podman('import', join(dir, 'root.tar'), 'localhost/bb:local');
  mkdirSync('/run/podman', { recursive: true });
  const socket = '/run/podman/podman.sock';
  const service: ChildProcess = spawn('podman', [...global, 'system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore' });
  for (let i = 0; !existsSync(socket); i++) {
    if (i > 100) throw new Error('podman system service did not listen within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async (): Promise<void> => {
    await podman('rm', '-f', '-a').catch(() => '');
    if (service.exitCode === null && service.pid !== undefined) {
      const exited = new Promise((r) => service.once('exit', r));
      process.kill(service.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    }
    await sh(['umount', '/etc/containers']).catch(() => '');
    rmSync(socket, { force: true });
    removeCgroupsNamed(CGROUP_PARENT);
    rmSync(dir, { recursive: true, force: true });
  };
  return { podman, socket, stop };
}

export const CGROUP_ARGS = ['--cgroup-parent', CGROUP_PARENT];

