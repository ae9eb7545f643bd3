import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInSandbox, sh } from '../sandbox.js';
import { removeCgroupsNamed } from './cgroups.js';

/**
 * A real dockerd inside the sandbox (DESIGN §10, TOOLCHAIN "dockerd … inside the sandbox"):
 * data and exec roots in a temporary directory, its own socket, vfs storage, its own cgroup
 * parent, and a busybox image imported from busybox-static — nothing is pulled.
 */
export interface DockerLab {
  dir: string;
  socket: string;
  /** The running dockerd (a new one after `restart`). */
  readonly dockerd: ChildProcess;
  docker: (...args: string[]) => Promise<string>;
  /** Stops dockerd (its containers stop with it) and starts it again on the same socket and data. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

const CGROUP_PARENT = 'netloom-test';

export async function startDockerd(): Promise<DockerLab> {
  assertInSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'netloom-docker-'));
  const socket = join(dir, 'docker.sock');
  let log = '';
  const spawnDockerd = (): ChildProcess => {
    const child = spawn(
      '/usr/sbin/dockerd',
      ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '-H', `unix://${socket}`, '--pidfile', join(dir, 'docker.pid'), '--storage-driver', 'vfs', '--cgroup-parent', CGROUP_PARENT],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (c: Buffer) => {
      log = (log + c.toString()).slice(-4000);
    });
    return child;
  };
  let dockerd = spawnDockerd();
  const docker = (...args: string[]): Promise<string> => sh(['docker', '-H', `unix://${socket}`, ...args]);
  const ready = async (): Promise<void> => {
    for (let i = 0; ; i++) {
      if (dockerd.exitCode !== null) throw new Error(`dockerd exited (${dockerd.exitCode}): ${log}`);
      if (await docker('version').then(() => true, () => false)) break;
      if (i > 100) throw new Error(`dockerd did not answer within 10 s: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const terminate = async (): Promise<void> => {
    if (dockerd.exitCode !== null || dockerd.pid === undefined) return;
    const exited = new Promise((r) => dockerd.once('exit', r));
    process.kill(dockerd.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };
  await ready();
  const root = join(dir, 'root');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  for (const a of ['sh', 'httpd', 'sleep']) symlinkSync('busybox', join(root, 'bin', a));
  await sh(['tar', '-C', root, '-cf', join(dir, 'root.tar'), '.']);
  await docker('import', join(dir, 'root.tar'), 'bb:local');

  const stop = async (): Promise<void> => {
    const ids = (await docker('ps', '-aq').catch(() => '')).split('\n').filter((x) => x !== '');
    if (ids.length > 0) await docker('rm', '-f', ...ids).catch(() => '');
    await terminate();
    removeCgroupsNamed(CGROUP_PARENT);
    if (existsSync(join(dir, 'docker.pid'))) rmSync(join(dir, 'docker.pid'));
    rmSync(dir, { recursive: true, force: true });
  };
  const restart = async (): Promise<void> => {
    await terminate();
    dockerd = spawnDockerd();
    await ready();
  };
  return {
    dir,
    socket,
    get dockerd() {
      return dockerd;
    },
    docker,
    restart,
    stop,
  };
}

