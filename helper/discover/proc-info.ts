import { readFile, readlink } from 'node:fs/promises';
import type { ContainerInfo } from '../../protocol/src/index.js';

/** Short command of a process: its comm (≤15 chars, what `ps` shows), or null once it is gone. */
export async function processCommand(pid: number): Promise<string | null> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** The inode of a process's network namespace from "net:[4026531840]", or null (gone, or not ours to see). */
export async function netnsInodeOfPid(pid: number | 'self'): Promise<number | null> {
  try {
    const m = /^net:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/ns/net`));
    return m?.[1] !== undefined ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

// cgroup paths runtimes use: docker-<64hex>.scope, /docker/<64hex>, libpod-<id>.scope, lxc.payload.NAME …
const CGROUP_PATTERNS: { runtime: string; re: RegExp }[] = [
  { runtime: 'docker', re: /docker[-/]([0-9a-f]{64})/ },
  { runtime: 'podman', re: /libpod-(?:conmon-)?([0-9a-f]{64})/ },
  { runtime: 'containerd', re: /cri-containerd-([0-9a-f]{64})/ },
  { runtime: 'lxc', re: /lxc\.payload[./]([^/\s]+)/ },
];

/** Parses /proc/PID/cgroup text: a fallback container identity until the runtimes' APIs are asked. */
export function containerFromCgroup(text: string): ContainerInfo | null {
  for (const { runtime, re } of CGROUP_PATTERNS) {
    const m = re.exec(text);
    if (m?.[1] === undefined) continue;
    const id = m[1];
    return { runtime, id, name: runtime === 'lxc' ? id : id.slice(0, 12) };
  }
  return null;
}

export async function containerOfPid(pid: number): Promise<ContainerInfo | null> {
  try {
    return containerFromCgroup(await readFile(`/proc/${pid}/cgroup`, 'utf8'));
  } catch {
    return null;
  }
}
