import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInSandbox, sh } from '../sandbox.js';
import { removeCgroupsWhere } from './cgroups.js';

/**
 * Debian 12's LXC (lxc 5.0.2, lxc-templates, dnsmasq-base) run inside the sandbox from the files
 * `node scripts/fetch-lxc.mjs` extracted — never installed: lxc's postinst would start lxc-net on
 * the real machine. /var is an overlay whose upper layer is a temp dir (so /var/lib/lxc, lxc-net's
 * lease file in /var/lib/misc and /var/log are private to the sandbox's mount namespace), /run is
 * the sandbox's, lxc-net runs in iptables mode (no nftables here), containers come from the
 * busybox template (busybox-static). Same steps as test/fixtures/lxc/record.sh.
 */
export const LXC_ROOT = process.env.NETLOOM_LXC_ROOT ?? join(tmpdir(), 'netloom-lxcroot');
export const lxcExtracted = (): boolean => existsSync(join(LXC_ROOT, '.complete'));

export interface LxcLab {
  /** Runs an LXC tool (lxc-start, lxc-info…) from the extracted root. */
  lxc: (tool: string, ...args: string[]) => Promise<string>;
  /** A private lxcpath (not /var/lib/lxc), for `-P`. */
  otherLxcpath: string;
  /** lxc-create from the busybox template, on lxcbr0. */
  create: (name: string, lxcpath?: string) => Promise<void>;
  /**
   * Starts a created container and resolves with its init's pid once RUNNING: in the background
   * (`lxc-start -d`, the init's parent is "[lxc monitor] …") or the foreground (`lxc-start -F`,
   * as Debian's lxc@.service does; its parent is lxc-start itself).
   */
  start: (name: string, opts?: { lxcpath?: string; foreground?: boolean }) => Promise<number>;
  dnsmasqPid: () => number;
  /** The address lxc-net's dnsmasq leased to a MAC, once it has (null until then). */
  leaseOf: (mac: string) => string | null;
  stop: () => Promise<void>;
}

const LIBDIR = 'usr/lib/x86_64-linux-gnu';

export async function startLxc(): Promise<LxcLab> {
  assertInSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'netloom-lxc-'));
  for (const d of ['upper', 'work', 'rootfs-mnt', 'lxcpath']) mkdirSync(join(dir, d));
  const env = { ...process.env, PATH: `${LXC_ROOT}/usr/sbin:${LXC_ROOT}/usr/bin:${process.env.PATH ?? ''}`, LD_LIBRARY_PATH: join(LXC_ROOT, LIBDIR) };
  const run = (argv: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(argv[0] ?? '', argv.slice(1), { env, timeout: 20_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${argv.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
    });
  const lxcNet = join(LXC_ROOT, 'usr/libexec/lxc/lxc-net');
  const names: { name: string; lxcpath: string }[] = [];
  await sh(['mount', '-t', 'overlay', 'overlay', '-o', `lowerdir=/var,upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, '/var']);
  const stop = async (): Promise<void> => {
    for (const c of names) await run(['lxc-stop', '-k', '-P', c.lxcpath, '-n', c.name]).catch(() => '');
    await run(['sh', lxcNet, 'stop']).catch(() => '');
    // A process still holding a file there (a dnsmasq lxc-net failed to stop) must not keep /var ours.
    await sh(['umount', '/var']).catch(() => sh(['umount', '-l', '/var'])).catch(() => '');
    // Our containers' cgroups in every hierarchy (on cgroup v1 some sit deeper, e.g.
    // memory:/process_api/…/lxc.payload.NAME), and lxc.pivot, where LXC parks its monitor on v1.
    const ours = new Set(names.flatMap((c) => [`lxc.payload.${c.name}`, `lxc.monitor.${c.name}`]));
    removeCgroupsWhere((e) => ours.has(e) || e === 'lxc.pivot', (e) => e.startsWith('lxc.'));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(['sh', lxcNet, 'start']);
  } catch (e) {
    await stop();
    throw e;
  }
  // Debian's /etc/lxc/default.conf, apparmor off (no securityfs in the sandbox), and a rootfs mount
  // point of ours (LXC's compiled-in one belongs to the package we do not install).
  const defaults = join(dir, 'default.conf');
  writeFileSync(defaults, ['lxc.net.0.type = veth', 'lxc.net.0.link = lxcbr0', 'lxc.net.0.flags = up', 'lxc.apparmor.profile = unconfined', `lxc.rootfs.mount = ${join(dir, 'rootfs-mnt')}`, ''].join('\n'));
  return {
    lxc: (tool, ...args) => run([tool, ...args]),
    otherLxcpath: join(dir, 'lxcpath'),
    create: async (name, lxcpath = '/var/lib/lxc') => {
      names.push({ name, lxcpath });
      await run(['lxc-create', '-P', lxcpath, '-n', name, '-t', join(LXC_ROOT, 'usr/share/lxc/templates/lxc-busybox'), '-f', defaults]);
    },
    start: async (name, { lxcpath = '/var/lib/lxc', foreground = false } = {}) => {
      if (foreground) spawn('lxc-start', ['-P', lxcpath, '-n', name, '-F'], { env, stdio: 'ignore', detached: true }).unref();
      else await run(['lxc-start', '-P', lxcpath, '-n', name, '-d']);
      await run(['lxc-wait', '-P', lxcpath, '-n', name, '-s', 'RUNNING', '-t', '10']);
      return Number((await run(['lxc-info', '-P', lxcpath, '-n', name, '-pH'])).trim());
    },
    dnsmasqPid: () => Number(readFileSync('/run/lxc/dnsmasq.pid', 'utf8').trim()),
    leaseOf: (mac) => {
      // "expiry mac ip hostname client-id" per line.
      const lines = existsSync('/var/lib/misc/dnsmasq.lxcbr0.leases') ? readFileSync('/var/lib/misc/dnsmasq.lxcbr0.leases', 'utf8').split('\n') : [];
      return lines.map((l) => l.split(' ')).find((f) => f[1] === mac)?.[2] ?? null;
    },
    stop,
  };
}
