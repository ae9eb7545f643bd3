import { readFileSync } from 'node:fs';
import { ProtocolError } from '../protocol/src/errors.js';

/**
 * What the root helper agrees to run (issue 13 item 6). Checking argv[0] alone let a forged
 * journal record run `nsenter --net=… -- touch …`: a program that runs another program is
 * checked all the way down — nsenter's command, `ip netns exec`'s, every line of an
 * `ip -batch` (stdin or the file discovery writes) — and the forms netloom never uses
 * (`ip vrf exec`, tcpdump's `-z` post-rotate command, flock running a command) are refused.
 */

/** Programs another program of ours may run for us (inside a namespace). */
const WRAPPABLE = new Set(['setpriv', 'ip', 'bridge', 'wg', 'iptables', 'iptables-save', 'iptables-restore', 'ip6tables-save', 'iptables-legacy-save', 'iptables-nft-save', 'ip6tables-legacy-save', 'ip6tables-nft-save', 'nft', 'tcpdump', 'tshark', 'ss', 'ping', 'sysctl', 'hostname', 'uname']);

const refuse = (why: string): never => {
  throw new ProtocolError('internal', `refusing to run this command: ${why}`);
};

/**
 * explain.probe runs the helper's own runtime (`nsenter --net=P -- node -e SCRIPT`) for its TCP and
 * UDP checks; nothing else may name it. A journal can never hold it: its steps are checked
 * against the compiler's own forms first (helper/intents/plan-shape.ts).
 */
const selfRuntime = (): string => process.execPath;

function checkWrapped(rest: readonly string[], input: string | undefined, allowed: ReadonlySet<string>, via: string): void {
  const program = rest[0];
  if (program === undefined) return refuse(`${via} with no program`);
  if (program === selfRuntime() && via === 'nsenter') return;
  if (!WRAPPABLE.has(program)) return refuse(`${via} would run "${program}", which is not one of the helper's programs`);
  checkArgvShape([program, ...rest.slice(1)], input, allowed);
}

/**
 * ssh as helper/hosts/ssh-exec.ts builds it and no other way: only the options it sets (no
 * ProxyCommand, LocalCommand or forwarding), then `--`, a destination that cannot be read as an
 * option, and the one remote command (netloom's fixed stage/run script).
 */
// The master connection's (ssh-master.ts): its socket only ever in netloom's own private directory.
const SSH_OPTIONS = /^(BatchMode=yes|ConnectTimeout=\d{1,3}|ServerAliveInterval=\d{1,3}|ServerAliveCountMax=\d{1,2}|ControlMaster=auto|ControlPersist=\d{1,4}|ControlPath=\/[A-Za-z0-9._/-]*\/netloom-ssh(-\d+)?\/[0-9a-f]{8}-%C)$/;
function checkSsh(argv: readonly string[]): void {
  const sep = argv.indexOf('--');
  // `ssh -G [-F FILE] [-p PORT] -- DESTINATION`: what the user's config resolves to, nothing run.
  const printOnly = argv[1] === '-G';
  if (sep < 0 || argv.length !== sep + (printOnly ? 2 : 3)) return refuse(printOnly ? 'ssh -G without "-- DESTINATION"' : 'ssh without "-- DESTINATION COMMAND"');
  for (let i = printOnly ? 2 : 1; i < sep; i++) {
    const a = argv[i] as string;
    const v = argv[i + 1] ?? '';
    if (a === '-T' && !printOnly) continue;
    if (printOnly && a === '-o') return refuse('ssh -G with -o');
    if (a === '-o' && SSH_OPTIONS.test(v)) i++;
    else if (a === '-F' && v.startsWith('/')) i++;
    else if (a === '-p' && /^\d{1,5}$/.test(v)) i++;
    else return refuse(`ssh option "${a}${a === '-o' ? ' ' + v : ''}" (netloom sets only -T, -o BatchMode/ConnectTimeout/ServerAlive*/Control* of its own, -F FILE, -p PORT)`);
  }
  if ((argv[sep + 1] ?? '-').startsWith('-')) return refuse('an ssh destination that starts with "-"');
}

function checkNsenter(argv: readonly string[], input: string | undefined, allowed: ReadonlySet<string>): void {
  const sep = argv.indexOf('--');
  if (sep < 0) return refuse('nsenter without "--" before its command');
  for (const opt of argv.slice(1, sep)) {
    if (!/^--net=\/[^\0]*$/.test(opt)) return refuse(`nsenter option "${opt}" (only --net=PATH is used)`);
  }
  checkWrapped(argv.slice(sep + 1), input, allowed, 'nsenter');
}

/** `setpriv --pdeathsig KILL -- PROG…` (the trace probe's nft, gone with the helper) and no other use of setpriv. */
function checkSetpriv(argv: readonly string[], input: string | undefined, allowed: ReadonlySet<string>): void {
  if (argv[1] !== '--pdeathsig' || argv[2] !== 'KILL' || argv[3] !== '--') return refuse('setpriv other than --pdeathsig KILL -- PROGRAM');
  checkWrapped(argv.slice(4), input, allowed, 'setpriv');
}

/** A word of ip's that runs a program: `netns exec` (checked as a wrapper) or `vrf exec` (never used). */
function ipExecIndex(words: readonly string[]): number {
  for (let i = 0; i + 1 < words.length; i++) if (words[i + 1] === 'exec' && (words[i] === 'netns' || words[i] === 'vrf')) return i;
  return -1;
}

function checkIp(argv: readonly string[], input: string | undefined, allowed: ReadonlySet<string>): void {
  const b = argv.findIndex((a) => a === '-batch' || a === '-b');
  if (b >= 0) {
    const from = argv[b + 1];
    let lines = input ?? '';
    if (from !== '-') {
      // Discovery's `ip -all netns exec ip … -batch FILE` (a file it wrote in a private temp dir).
      try {
        lines = readFileSync(from ?? '', 'utf8');
      } catch {
        return refuse(`ip -batch from a file that cannot be read: ${String(from)}`);
      }
    }
    for (const line of lines.split('\n')) {
      if (ipExecIndex(line.trim().split(/\s+/)) >= 0) return refuse(`an ip -batch line runs a program: "${line.trim()}"`);
    }
  }
  const x = ipExecIndex(argv);
  if (x < 0) return;
  if (argv[x] === 'vrf') return refuse('ip vrf exec');
  // `ip -all netns exec PROG…` or `ip netns exec NAME PROG…`
  const all = argv.slice(0, x).includes('-all');
  checkWrapped(argv.slice(x + (all ? 2 : 3)), input, allowed, 'ip netns exec');
}

/** Throws unless argv is a command the helper runs (the program list, and what each may run in turn). */
export function checkArgvShape(argv: readonly string[], input: string | undefined, allowed: ReadonlySet<string>): void {
  const program = argv[0];
  if (program === undefined || !allowed.has(program)) {
    return refuse(`"${String(program)}" is not one of the helper's programs`);
  }
  for (const a of argv) if (typeof a !== 'string' || a.includes('\0')) return refuse('an argument holds a NUL byte');
  if (program === 'nsenter') return checkNsenter(argv, input, allowed);
  if (program === 'setpriv') return checkSetpriv(argv, input, allowed);
  if (program === 'ip') return checkIp(argv, input, allowed);
  if (program === 'tcpdump') {
    const sep = argv.indexOf('--');
    if ((sep < 0 ? argv : argv.slice(0, sep)).some((a) => a === '-z' || a.startsWith('-z'))) return refuse('tcpdump -z (a post-rotate command)');
  }
  // bridge(8) only reads: the fdb of a VXLAN device (discovery); it never changes the forwarding database.
  if (program === 'bridge' && !(argv.length >= 4 && argv[1] === '-json' && argv[2] === 'fdb' && argv[3] === 'show' && (argv.length === 4 || (argv.length === 6 && argv[4] === 'dev')))) {
    return refuse('bridge other than "bridge -json fdb show [dev NAME]"');
  }
  // wg(8) only reads: the peers of every WireGuard device (discovery); never `wg set`, `setconf`, `syncconf`.
  if (program === 'wg' && !(argv.length === 4 && argv[1] === 'show' && argv[2] === 'all' && argv[3] === 'dump')) {
    return refuse('wg other than "wg show all dump"');
  }
  if (program === 'ssh') return checkSsh(argv);
  // util-linux flock only on a descriptor we hand over (the journal lock's fallback), never running a command.
  if (program === 'flock' && !(argv.length === 2 && argv[1] === '3') && !(argv.length === 3 && argv[1] === '-n' && argv[2] === '3')) {
    return refuse('flock other than on fd 3');
  }
}
