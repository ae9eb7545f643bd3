#!/usr/bin/env node
// Runs a command inside a private network sandbox (DESIGN §10, TOOLCHAIN "The network
// sandbox"): its own network namespace, its own PID namespace and /proc (so the machine's
// processes — and through them its real network namespace — are not seen), a private /run (so /run/netns is empty and
// ours), a fresh sysfs that shows only the sandbox's interfaces, and a private
// /etc/docker. Nothing inside can touch this machine's interfaces, routes or iptables.
//
//   node scripts/sandbox.mjs -- COMMAND [ARGS...]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sep = process.argv.indexOf('--');
const command = sep === -1 ? process.argv.slice(2) : process.argv.slice(sep + 1);
if (command.length === 0) {
  console.error('usage: node scripts/sandbox.mjs -- COMMAND [ARGS...]');
  process.exit(2);
}

function run(...argv) {
  execFileSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
}

if (process.env.NETLOOM_SANDBOX_INNER !== '1') {
  if (process.getuid?.() !== 0) {
    console.error('the network sandbox needs root (unshare --net --mount --pid)');
    process.exit(2);
  }
  const child = spawn(
    'unshare',
    ['--net', '--mount', '--pid', '--mount-proc', '--fork', '--', process.execPath, fileURLToPath(import.meta.url), '--', ...command],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        NETLOOM_SANDBOX_INNER: '1',
        NETLOOM_SANDBOX: '1',
        // The machine's own namespaces, so everything inside can check it does not see them.
        NETLOOM_OUTER_NETNS: readlinkSync('/proc/self/ns/net'),
        NETLOOM_OUTER_PIDNS: readlinkSync('/proc/self/ns/pid'),
      },
    },
  );
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  // Refuse to go on unless we really are in namespaces of our own and /proc is ours: a root
  // helper lists every process's network namespace from /proc, so a shared /proc would hand it
  // the machine's own namespace (and a target for deletes, port mappings, Explain).
  const refuse = (why) => {
    console.error(`sandbox: ${why}; refusing to run`);
    process.exit(2);
  };
  const outer = process.env.NETLOOM_OUTER_NETNS;
  if (readlinkSync('/proc/self/ns/net') === outer) refuse('still in the machine\'s network namespace');
  if (readlinkSync('/proc/self/ns/pid') === process.env.NETLOOM_OUTER_PIDNS) refuse('still in the machine\'s pid namespace');
  const seen = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/ns/net`) === outer;
    } catch {
      return false; // gone meanwhile
    }
  });
  if (process.pid !== 1 || seen.length > 0) refuse(`/proc is not the sandbox's own (pid ${process.pid}; processes in the machine's namespace: ${seen.join(' ') || 'none'})`);
  run('mount', '--make-rprivate', '/');
  run('mount', '-t', 'tmpfs', 'tmpfs', '/run');
  mkdirSync('/run/netns', { recursive: true });
  const cg = mkdtempSync(join(tmpdir(), 'netloom-cg-'));
  run('mount', '--rbind', '/sys/fs/cgroup', cg);
  run('mount', '-t', 'sysfs', 'sysfs', '/sys');
  run('mount', '--move', cg, '/sys/fs/cgroup');
  mkdirSync('/etc/docker', { recursive: true });
  run('mount', '-t', 'tmpfs', 'tmpfs', '/etc/docker');
  run('ip', 'link', 'set', 'lo', 'up');
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, NETLOOM_SANDBOX_INNER: undefined } });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
