import { readdir, stat } from 'node:fs/promises';
import type { ContainerInfo, NamespaceKind } from '../../protocol/src/index.js';
import { nsIdOf } from '../../protocol/src/index.js';
import type { NsTarget } from './ns-target.js';
import { childPids } from '../exec.js';
import { containerOfPid, netnsInodeOfPid, processInfo } from './proc-info.js';

export interface FoundNamespace {
  target: NsTarget;
  inode: number;
  name: string | null;
  kind: NamespaceKind;
  pids: number[];
  processes: { pid: number; command: string }[];
  container: ContainerInfo | null;
}

/** Bind mounts that keep namespaces alive: /run/netns is `ip netns`'s; the others are runtimes'. */
export const NAMED_DIR = '/run/netns';
export const RUNTIME_DIRS = ['/run/docker/netns', '/run/user-netns', '/var/run/docker/netns'];

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** stat().ino of a bind-mounted nsfs file is the namespace's inode. */
async function inodeOfPath(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.ino;
  } catch {
    return null;
  }
}

async function pidsByInode(exclude: Set<number>): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  const pids = (await listDir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => !exclude.has(p));
  const inodes = await Promise.all(pids.map((p) => netnsInodeOfPid(p)));
  pids.forEach((pid, i) => {
    const ino = inodes[i];
    if (ino === null || ino === undefined) return; // gone, or a kernel thread we may not read
    const list = out.get(ino);
    if (list) list.push(pid);
    else out.set(ino, [pid]);
  });
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

interface Entry {
  path: string;
  name: string | null;
  kind: NamespaceKind;
}

/**
 * Every network namespace this process can see: its own, every process's, every /run/netns name
 * and every runtime bind mount — one entry per inode (the kernel's identity of a namespace).
 */
export async function listNamespaces(): Promise<FoundNamespace[]> {
  const own = await netnsInodeOfPid('self');
  // The helper's own children (an `ip monitor` entered with nsenter) are not residents: counting
  // them would keep a stopped container's namespace in the picture for as long as we watch it —
  // and, the monitor being the namespace's last process, alive.
  const ours = childPids();
  const byPid = await pidsByInode(ours);
  const entries = new Map<number, Entry>();
  const put = (ino: number | null, e: Entry): void => {
    if (ino !== null && !entries.has(ino)) entries.set(ino, e);
  };
  for (const n of await listDir(NAMED_DIR)) put(await inodeOfPath(`${NAMED_DIR}/${n}`), { path: `${NAMED_DIR}/${n}`, name: n, kind: 'named' });
  for (const dir of RUNTIME_DIRS) {
    for (const n of await listDir(dir)) put(await inodeOfPath(`${dir}/${n}`), { path: `${dir}/${n}`, name: null, kind: 'container' });
  }
  for (const [ino, pids] of byPid) put(ino, { path: `/proc/${pids[0]}/ns/net`, name: null, kind: 'process' });

  const found = await Promise.all(
    [...entries].map(async ([inode, e]): Promise<FoundNamespace> => {
      const all = byPid.get(inode) ?? [];
      const infos = await Promise.all(all.map((p) => processInfo(p)));
      // Kernel threads all sit in the first namespace and say nothing about who uses it.
      const processes = all.flatMap((pid, i) => {
        const info = infos[i];
        return info && !info.kernelThread ? [{ pid, command: info.command }] : [];
      });
      const pids = processes.map((p) => p.pid);
      const isOwn = inode === own;
      // The helper's own namespace is "host" even when something also named it.
      const kind: NamespaceKind = isOwn ? 'host' : e.kind;
      const container = kind === 'host' || pids[0] === undefined ? null : await containerOfPid(pids[0]);
      const id = nsIdOf(inode);
      return {
        target: { id, path: isOwn ? '/proc/self/ns/net' : e.path, name: e.name, own: isOwn },
        inode,
        name: e.name,
        kind: kind === 'process' && container !== null ? 'container' : kind,
        pids,
        processes,
        container,
      };
    }),
  );
  // A namespace only our own children still hold (nothing names it, its processes ended) is gone for the user.
  const live = found.filter((f) => f.target.own || entries.get(f.inode)?.kind !== 'process' || f.processes.length > 0);
  // Host first, then named by name, then the rest by inode: a stable order for snapshots and diffs.
  const rank = (f: FoundNamespace): number => ({ host: 0, named: 1, container: 2, process: 3 })[f.kind];
  return live.sort((a, b) => rank(a) - rank(b) || (a.name ?? '').localeCompare(b.name ?? '') || a.inode - b.inode);
}
