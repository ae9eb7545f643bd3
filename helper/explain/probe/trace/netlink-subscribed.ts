import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * Whether `nft monitor trace` (process `pid`) listens yet: it prints nothing until a trace event
 * comes, so the probe must not start before its netlink socket has joined the trace group — a
 * packet traced before that is lost. /proc/PID/net/netlink (the namespace the process lives in)
 * lists netlink sockets with their protocol and the first 32 multicast groups as a hex mask;
 * NETLINK_NETFILTER is protocol 12 and NFNLGRP_NFTRACE group 9 (bit 8). The socket must be one of
 * the process's own descriptors: another monitor in the namespace does not count.
 *
 *   sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
 *   00000000c7bbde36 12  50         00000100 0        0        0     2        0        571127
 */
const NETLINK_NETFILTER = '12';
const NFNLGRP_NFTRACE_BIT = 1 << (9 - 1);

export function traceSubscribed(netlinkTable: string, socketInodes: ReadonlySet<string>): boolean {
  for (const line of netlinkTable.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[1] !== NETLINK_NETFILTER) continue;
    if ((parseInt(f[3] ?? '0', 16) & NFNLGRP_NFTRACE_BIT) !== 0 && socketInodes.has(f[9] ?? '')) return true;
  }
  return false;
}

async function socketInodes(pid: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) out.add(m[1]!);
  }
  return out;
}

/** Polls until the monitor has joined the trace group; false after `limitMs`, or when it is gone. */
export async function waitSubscribed(pid: number, limitMs: number, alive: () => boolean): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end && alive()) {
    try {
      const inodes = await socketInodes(pid);
      if (inodes.size > 0 && traceSubscribed(await readFile(`/proc/${pid}/net/netlink`, 'utf8'), inodes)) return true;
    } catch {
      // Between nsenter's and nft's exec the process's files come and go: try again.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}
