/**
 * Where an LXC container lives (its lxcpath), from the process that started it — the container
 * init's parent. Started in the background (`lxc-start -d`, lxc-autostart, the LXC API), liblxc
 * forks a monitor that retitles itself `[lxc monitor] LXCPATH NAME` (lxc 5.0
 * src/lxc/lxccontainer.c, recorded in test/fixtures/lxc); in the foreground (`lxc-start -F -n
 * NAME`, Debian's lxc@.service) the parent is lxc-start itself with its arguments. The cgroup
 * (`lxc.payload.NAME`) names the container but not its lxcpath, which is /var/lib/lxc only by
 * default: `lxc-start -P DIR`, a user's unprivileged containers (~/.local/share/lxc) and LXD/Incus
 * keep their containers elsewhere.
 */

/** The parent pid from /proc/PID/stat ("pid (comm) state ppid …"; comm may hold spaces and ')'). */
export function parentPidFromStat(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close === -1) return null;
  const ppid = Number(stat.slice(close + 1).trim().split(/\s+/)[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
}

/** An absolute path without `.`/`..` segments, trailing slashes dropped; null otherwise (it becomes part of a file we read). */
function plainAbsolute(path: string): string | null {
  if (!path.startsWith('/') || path.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  return path.replace(/\/+$/, '') || '/';
}

/**
 * The container a starter process runs, from its /proc/PID/cmdline: `[lxc monitor] LXCPATH NAME`,
 * or lxc-start's own argv (`-n NAME`, `--name=NAME`, `-P DIR`, `--lxcpath=DIR`). lxcpath is null
 * when lxc-start was given none (LXC's default). Null for any other process.
 */
export function parseLxcStarter(cmdline: string): { lxcpath: string | null; name: string } | null {
  // The monitor's title is written over argv: one string, NUL-terminated (older liblxc padded with NULs).
  const title = /^\[lxc monitor\] (\/.*) (\S+)$/.exec(cmdline.replace(/\0+$/, '').replace(/\0/g, ' '));
  if (title?.[1] !== undefined && title[2] !== undefined) {
    const lxcpath = plainAbsolute(title[1]);
    return lxcpath === null ? null : { lxcpath, name: title[2] };
  }
  const argv = cmdline.split('\0').filter((a) => a !== '');
  if (!/(^|\/)lxc-start$/.test(argv[0] ?? '')) return null;
  let name: string | null = null;
  let lxcpath: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = (short: string, long: string): string | null => {
      if (a === short || a === long) return argv[++i] ?? null;
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
      return a.startsWith(short) && a.length > short.length && !a.startsWith('--') ? a.slice(short.length) : null;
    };
    name = value('-n', '--name') ?? name;
    const p = value('-P', '--lxcpath');
    if (p !== null) {
      lxcpath = plainAbsolute(p);
      if (lxcpath === null) return null;
    }
  }
  return name === null ? null : { lxcpath, name };
}

/** How many of a namespace's lowest pids are tried as the container's init (init is nearly always the lowest). */
const INIT_CANDIDATES = 3;

/**
 * The container's init and its lxcpath: the first of the namespace's lowest pids whose parent
 * started a container by this name. Null when none did (another starter, a process gone
 * meanwhile): the caller falls back to /var/lib/lxc, as it does for a null lxcpath.
 */
export async function findLxcMonitor(
  name: string,
  pids: number[],
  read: (path: string) => Promise<string | null>,
): Promise<{ initPid: number; lxcpath: string | null } | null> {
  for (const pid of [...pids].sort((a, b) => a - b).slice(0, INIT_CANDIDATES)) {
    const ppid = parentPidFromStat((await read(`/proc/${pid}/stat`)) ?? '');
    if (ppid === null) continue;
    const starter = parseLxcStarter((await read(`/proc/${ppid}/cmdline`)) ?? '');
    if (starter !== null && starter.name === name) return { initPid: pid, lxcpath: starter.lxcpath };
  }
  return null;
}
