import { readFile, readlink } from 'node:fs/promises';
import type { ContainerInfo } from '../../protocol/src/snapshot.js';

/** PF_KTHREAD in /proc/PID/stat's flags field: kernel threads, which every host namespace is full of. */
const PF_KTHREAD = 0x00200000;

/** Parses /proc/PID/stat: the command (comm, ≤15 chars, what `ps` shows) and whether it is a kernel thread. */
export function parseProcStat(text: string): { command: string; kernelThread: boolean } | null {
  // comm is in parentheses and may itself hold spaces and parentheses: the last ')' ends it.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  const flags = Number(rest[6]); // fields after comm: state ppid pgrp session tty_nr tpgid flags
  return { command: text.slice(open + 1, close), kernelThread: Number.isFinite(flags) && (flags & PF_KTHREAD) !== 0 };
}

/** A process's command and kind, or null once it is gone. */
export async function processInfo(pid: number): Promise<{ command: string; kernelThread: boolean } | null> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
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
  // nerdctl: nerdctl-<id>.scope under systemd, /<containerd namespace>/<id> under cgroupfs (default: "default").
  { runtime: 'nerdctl', re: /nerdctl-([0-9a-f]{64})\.scope|^0::\/default\/([0-9a-f]{64})$/m },
  { runtime: 'lxc', re: /lxc\.payload[./]([^/\s]+)/ },
];

/** Parses /proc/PID/cgroup text: a fallback container identity until the runtimes' APIs are asked. */
export function containerFromCgroup(text: string): ContainerInfo | null {
  for (const { runtime, re } of CGROUP_PATTERNS) {
    const m = re.exec(text);
    const id = m?.[1] ?? m?.[2];
    if (id === undefined) continue;
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
