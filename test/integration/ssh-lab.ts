import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInSandbox, sh } from '../sandbox.js';

/**
 * "Hosts" for the SSH tests (issue 14), inside the sandbox: each its own network, mount, PID and
 * UTS namespace (its own /run, /run/netns, /var/lib and hostname), running Debian's
 * /usr/sbin/sshd on its bridge address only. Keys, known_hosts and the ssh config are made here,
 * in a temp dir: the machine's ~/.ssh and /etc/ssh are never read or touched.
 */
export interface SshHost {
  name: string;
  addr: string;
  /** The host's PID 1 (sshd) as the sandbox sees it. */
  pid: number;
  hostKeyLine: string;
  /** Runs argv inside the host (its network and mount namespaces). */
  run(argv: string[]): Promise<string>;
  /** What its sshd logged so far (each login: `Accepted publickey for …`). */
  log(): string;
}

export interface SshLab {
  dir: string;
  config: string;
  hosts: SshHost[];
  /** A known_hosts line with another key for `host` (the host-key-changed case). */
  wrongKeyLine(host: SshHost): string;
  writeKnownHosts(lines: string[]): void;
  close(): Promise<void>;
}

const BRIDGE = 'nlsshbr0';
// The host script: private /run (sshd's privilege-separation dir, /run/netns), a root-only
// /var/lib (netloom's journal there) and /var/cache (a kept bundle there), a hostname; then waits for its network and becomes sshd.
// root's home is a fresh tmpfs there unless asked otherwise: a login runs root's ~/.bashrc, and this
// machine's (pyenv's `pyenv rehash` takes a lock file in /root/.pyenv) left its lock behind when a
// test killed a session mid-login, so every later ssh login, anywhere, waited 60 s for it.
// Its users: copies of /etc/passwd, group, shadow with two more — `sudoer` (sudo without a password,
// /etc/sudoers.d of its own) and `plain` (no sudo rights) — and an /etc/hosts naming it, bound over
// the machine's files in this mount namespace only.
const HOST_SCRIPT = [
  'mount -t tmpfs tmpfs /run && mkdir -p /run/sshd /run/netns && mount -t tmpfs -o mode=755 tmpfs /var/lib && mount -t tmpfs -o mode=755 tmpfs /var/cache',
  'for f in passwd group shadow hosts sudoers.d; do mount --bind "$3/$f" "/etc/$f" || exit 1; done',
  'if [ "$4" = fresh ]; then mount -t tmpfs -o mode=700 tmpfs /root && cp /etc/skel/.bashrc /etc/skel/.profile /root/; fi',
  'ip link set lo up && hostname "$1" && read go && exec /usr/sbin/sshd -D -e -f "$2"',
].join(' && ');

/** Test users on every host (uid 4242–4244), their home /tmp. */
export const SUDOER = 'sudoer';
export const PLAIN = 'plain';
/** A user sudo asks a password of (ASKER_PASSWORD), as most desktops' users are. */
export const ASKER = 'asker';
export const ASKER_PASSWORD = 'netloom-test-pw';

function etcFor(dir: string, name: string): string {
  const etc = join(dir, `etc-${name}`);
  mkdirSync(join(etc, 'sudoers.d'), { recursive: true, mode: 0o755 });
  const add = (file: string, lines: string[]) => writeFileSync(join(etc, file), readFileSync(`/etc/${file}`, 'utf8') + lines.join('\n') + '\n');
  add('passwd', [`${SUDOER}:x:4242:4242::/tmp:/bin/sh`, `${PLAIN}:x:4243:4243::/tmp:/bin/sh`, `${ASKER}:x:4244:4244::/tmp:/bin/sh`]);
  add('group', [`${SUDOER}:x:4242:`, `${PLAIN}:x:4243:`, `${ASKER}:x:4244:`]);
  // `*`: no password at all (sshd refuses a locked `!` account even with a key).
  const hash = execFileSync('openssl', ['passwd', '-6', ASKER_PASSWORD], { encoding: 'utf8' }).trim();
  add('shadow', [`${SUDOER}:*:20000:0:99999:7:::`, `${PLAIN}:*:20000:0:99999:7:::`, `${ASKER}:${hash}:20000:0:99999:7:::`]);
  writeFileSync(join(etc, 'hosts'), `127.0.0.1 localhost\n127.0.1.1 ${name}\n`);
  writeFileSync(join(etc, 'sudoers.d', 'netloom-test'), `${SUDOER} ALL=(root) NOPASSWD: ALL\n${ASKER} ALL=(root) ALL\n`, { mode: 0o440 });
  return etc;
}

async function keygen(file: string): Promise<string> {
  await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'netloom-test', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
}

async function innerPid(outer: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const out = await sh(['pgrep', '-P', String(outer)]).catch(() => '');
    const pid = Number(out.trim().split('\n')[0]);
    if (pid > 0) return pid;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the host namespace did not start');
}

async function startHost(dir: string, name: string, addr: string, userPub: string, freshRootHome: boolean): Promise<{ host: SshHost; proc: ChildProcessWithoutNullStreams }> {
  const keyLine = await keygen(join(dir, `hostkey-${name}`));
  writeFileSync(join(dir, `authorized_keys`), userPub + '\n', { mode: 0o644 });
  const cfg = join(dir, `sshd-${name}.conf`);
  writeFileSync(
    cfg,
    [`ListenAddress ${addr}`, `HostKey ${join(dir, `hostkey-${name}`)}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', 'PidFile none', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', ''].join('\n'),
  );
  const proc = spawn('unshare', ['--net', '--mount', '--pid', '--uts', '--fork', '--kill-child', '--mount-proc', '--', '/bin/sh', '-c', HOST_SCRIPT, 'host', name, cfg, etcFor(dir, name), freshRootHome ? 'fresh' : 'machine'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (b: Buffer) => (log += b.toString()));
  const pid = await innerPid(proc.pid as number);
  const veth = `ve-${name}`.slice(0, 15);
  await sh(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(pid)]);
  await sh(['ip', 'link', 'set', veth, 'master', BRIDGE, 'up']);
  const run = (argv: string[]): Promise<string> => sh(['nsenter', '-t', String(pid), '-n', '-m', '-p', '--', ...argv]);
  await run(['ip', 'addr', 'add', `${addr}/24`, 'dev', 'eth0']);
  await run(['ip', 'link', 'set', 'eth0', 'up']);
  proc.stdin.write('go\n');
  // sshd is ready when its port answers.
  for (let i = 0; ; i++) {
    const ss = await run(['ss', '-Htln', 'sport', '= :22']).catch(() => '');
    if (ss.includes(addr)) break;
    if (i > 100) throw new Error(`sshd on ${name} did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 30));
  }
  return { host: { name, addr, pid, hostKeyLine: `${addr} ${keyLine}`, run, log: () => log }, proc };
}

/**
 * Starts `names.length` hosts on 10.77.0.2, .3, … behind a bridge at 10.77.0.1 (where the tests' ssh runs).
 * `multiplex`: netloom's shared master connection per host (ssh-master.ts). Off by default here:
 * a master outlives a test by ControlPersist and would carry the next test's session past its
 * host-key or login check; the tests and benches of the master itself turn it on.
 * `rootHome`: root's home on each host — by default a fresh one (a tmpfs with Debian's default
 * .bashrc and .profile from /etc/skel), as on a freshly installed host; 'machine' keeps this
 * machine's /root, whose .bashrc, sourced by bash for every ssh command, runs `pyenv init`
 * (~100 processes, ~0.7 s per command here, and `pyenv rehash` writing the machine's
 * /root/.pyenv, up to 60 s behind its lock when several run): bench/multihost shows both.
 */
export async function startSshLab(names: string[], opts: { multiplex?: boolean; rootHome?: 'fresh' | 'machine' } = {}): Promise<SshLab> {
  assertInSandbox();
  const before = process.env.NETLOOM_SSH_MASTER;
  process.env.NETLOOM_SSH_MASTER = opts.multiplex === true ? 'yes' : 'no';
  const dir = mkdtempSync(join(tmpdir(), 'netloom-ssh-lab-'));
  // sshd reads authorized_keys as the user logging in.
  chmodSync(dir, 0o755);
  const userPub = await keygen(join(dir, 'id_user'));
  const otherKey = await keygen(join(dir, 'other-hostkey'));
  await sh(['ip', 'link', 'add', BRIDGE, 'type', 'bridge']);
  await sh(['ip', 'addr', 'add', '10.77.0.1/24', 'dev', BRIDGE]);
  await sh(['ip', 'link', 'set', BRIDGE, 'up']);
  const started: { host: SshHost; proc: ChildProcessWithoutNullStreams }[] = [];
  for (const [i, name] of names.entries()) started.push(await startHost(dir, name, `10.77.0.${i + 2}`, userPub, (opts.rootHome ?? 'fresh') === 'fresh'));
  const config = join(dir, 'ssh_config');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(
    config,
    ['Host *', '  User root', `  IdentityFile ${join(dir, 'id_user')}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${knownHosts}`, '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking yes', '  ControlMaster no', ''].join('\n'),
  );
  const hosts = started.map((s) => s.host);
  const writeKnownHosts = (lines: string[]): void => writeFileSync(knownHosts, lines.join('\n') + '\n');
  writeKnownHosts(hosts.map((h) => h.hostKeyLine));
  return {
    dir,
    config,
    hosts,
    wrongKeyLine: (h) => `${h.addr} ${otherKey}`,
    writeKnownHosts,
    close: async () => {
      // Sessions first, gently: their helpers see their input close and remove their copies (a
      // SIGKILLed host could not run the remote script's cleanup traps).
      for (const s of started) {
        const sessions = (await s.host.run(['pgrep', '-P', '1', '-x', 'sshd']).catch(() => '')).trim().split('\n').filter(Boolean);
        for (const pid of sessions) await s.host.run(['kill', '-TERM', pid]).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 500));
      // Then the host's PID 1: its whole PID namespace (sshd, anything left) ends with it.
      for (const s of started) {
        try {
          process.kill(s.host.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
      }
      await Promise.all(started.map((s) => (s.proc.exitCode === null ? new Promise((r) => s.proc.once('close', r)) : null)));
      await sh(['ip', 'link', 'delete', BRIDGE]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      if (before === undefined) delete process.env.NETLOOM_SSH_MASTER;
      else process.env.NETLOOM_SSH_MASTER = before;
    },
  };
}
