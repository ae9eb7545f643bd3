import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ContainerInfo, Notice } from '../../../protocol/src/snapshot.js';
import type { FoundNamespace } from '../namespaces.js';
import { netnsInodeOfPid } from '../proc-info.js';
import { DockerSource } from './docker.js';
import { parseDockerProxy } from './docker-proxy.js';
import { DEFAULT_DOCKER_SOCKETS } from './docker-socket.js';
import { lxcView } from './lxc.js';
import { ContainerdEvents } from './containerd-events.js';
import { CriSource } from './cri.js';
import { PodmanSource } from './podman.js';
import type { ProxyMapping, RuntimeNetworkSeed, RuntimeRead, RuntimeView } from './types.js';

export interface RuntimesOptions {
  docker?: DockerSource;
  podman?: PodmanSource;
  cri?: CriSource;
  /** Reads a small file or null (tests): /proc/PID/cmdline, runtime configs. */
  readText?: (path: string) => Promise<string | null>;
  /** The netns inode of a pid (tests). */
  inodeOfPid?: (pid: number) => Promise<number | null>;
  /** Whether a path exists (tests): the signs that a runtime is installed. */
  exists?: (path: string) => boolean;
  /** The inode of a namespace file (tests): a CRI pod's /run/netns/cni-… when its pid is not known. */
  inodeOfPath?: (path: string) => Promise<number | null>;
}

const readText = (path: string): Promise<string | null> => readFile(path, 'utf8').catch(() => null);
const inodeOfPath = (path: string): Promise<number | null> => stat(path).then((s) => s.ino, () => null);

/**
 * Every runtime netloom knows, asked together. `ask()` talks to the APIs (run it alongside the
 * namespace scan); `view()` joins their answers with the scan and reads the few processes that
 * speak for a runtime (docker-proxy, dnsmasq) — no process list of its own.
 */
export class Runtimes {
  readonly docker: DockerSource;
  readonly podman: PodmanSource;
  readonly cri: CriSource;
  /** containerd's event stream, for the live watcher (pods come and go). */
  readonly containerd: ContainerdEvents;
  private readonly read: (path: string) => Promise<string | null>;
  private readonly inodeOf: (pid: number) => Promise<number | null>;
  private readonly exists: (path: string) => boolean;
  private readonly inodeOfPath: (path: string) => Promise<number | null>;

  constructor(opts: RuntimesOptions = {}) {
    this.docker = opts.docker ?? new DockerSource();
    this.podman = opts.podman ?? new PodmanSource();
    this.inodeOfPath = opts.inodeOfPath ?? inodeOfPath;
    this.read = opts.readText ?? readText;
    this.inodeOf = opts.inodeOfPid ?? netnsInodeOfPid;
    this.exists = opts.exists ?? existsSync;
    this.cri = opts.cri ?? new CriSource({ exists: this.exists });
    this.containerd = new ContainerdEvents({ exists: this.exists });
  }

  ask(signal?: AbortSignal): Promise<RuntimeRead[]> {
    return Promise.all([this.docker.read(signal), this.podman.read(signal), this.cri.read(signal)]).then(([d, p, c]) => [d, p, ...c]);
  }

  async view(reads: RuntimeRead[], found: FoundNamespace[]): Promise<RuntimeView> {
    const hostInode = found.find((f) => f.kind === 'host')?.inode;
    const containersByInode = new Map<number, ContainerInfo>();
    for (const r of reads) {
      // A CRI pod names its netns file too: its inode joins it when the sandbox's pid cannot be read.
      const inodes = await Promise.all(r.containers.map(async (c) => (c.pid > 0 ? await this.inodeOf(c.pid) : null) ?? (c.netnsPath !== undefined ? await this.inodeOfPath(c.netnsPath) : null)));
      r.containers.forEach((c, i) => {
        const ino = inodes[i];
        // --network host shares the host's namespace; --network container:X shares X's (first name wins).
        if (ino === null || ino === undefined || ino === hostInode || containersByInode.has(ino)) return;
        containersByInode.set(ino, c.info);
      });
    }
    const proxies: ProxyMapping[] = [];
    const dnsmasqPids: number[] = [];
    await Promise.all(
      found.flatMap((f) =>
        f.processes.map(async (p) => {
          if (p.command === 'dnsmasq') dnsmasqPids.push(p.pid);
          if (p.command !== 'docker-proxy') return;
          const m = parseDockerProxy((await this.read(`/proc/${p.pid}/cmdline`)) ?? '', p.pid, f.target.id);
          if (m !== null) proxies.push(m);
        }),
      ),
    );
    const lxc = await lxcView(found, dnsmasqPids, this.read);
    for (const [ino, info] of lxc.containers) if (!containersByInode.has(ino)) containersByInode.set(ino, info);
    const podmanNames = await this.podman.namesFromStorage(found, reads, this.read);
    for (const [ino, info] of podmanNames) if (!containersByInode.has(ino)) containersByInode.set(ino, info);
    const networks: RuntimeNetworkSeed[] = [...reads.flatMap((r) => r.networks), ...lxc.networks];
    return { containersByInode, networks, proxies, notices: this.notices(reads, found, proxies) };
  }

  /** A quiet notice for a runtime that could not be asked — only where there are signs of it. */
  private notices(reads: RuntimeRead[], found: FoundNamespace[], proxies: ProxyMapping[]): Notice[] {
    const out: Notice[] = [];
    for (const r of reads) {
      if (r.unreachable === null) continue;
      const byCgroup = found.some((f) => f.container?.runtime === r.runtime);
      const signs =
        r.runtime === 'docker'
          ? byCgroup || proxies.length > 0 || this.exists('/sys/class/net/docker0') || this.exists('/run/docker') || DEFAULT_DOCKER_SOCKETS.some((s) => this.exists(s)) || dockerHostSocketExists(this.exists)
          : r.runtime === 'podman'
            ? byCgroup || this.podman.hasSigns(this.exists)
            : true; // a CRI read: only a socket that exists is asked
      if (!signs) continue;
      out.push({ level: 'info', message: `${r.unreachable}: containers are shown by namespace only.` });
    }
    return out;
  }
}

function dockerHostSocketExists(exists: (p: string) => boolean): boolean {
  const h = process.env.DOCKER_HOST;
  return h !== undefined && h.startsWith('unix://') && exists(h.slice('unix://'.length));
}
