import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { ProtocolError } from '../protocol/src/errors.js';
import { checkArgvShape } from './exec-argv.js';
import { nsreadPath } from './native/nsread-path.js';
import { resolveProgram, TRUSTED_PATH } from './program-paths.js';

/**
 * The helper's one door to system programs (DESIGN §1). Programs come from a closed
 * list; arguments are always an argv array handed to the kernel's execve — never a
 * shell — so no user text is ever parsed as a command line.
 */
export const PROGRAMS = [
  'ip',
  'nsenter',
  'iptables',
  'iptables-save',
  'iptables-restore',
  'ip6tables-save',
  // Every firewall source (issue 12): x_tables, iptables-nft, native nftables.
  'iptables-legacy-save',
  'iptables-nft-save',
  'ip6tables-legacy-save',
  'ip6tables-nft-save',
  'nft',
  'tcpdump',
  'tshark',
  // VXLAN's forwarding database (issue 14): `bridge -json fdb show` only, never a change.
  'bridge',
  // WireGuard's peers (issue 14): `wg show all dump` only, never `wg set` (exec-argv.ts).
  'wg',
  'ss',
  // explain.probe: a bounded ping from inside a namespace (issue 7).
  'ping',
  // explain.probe with trace (issue 12): its `nft` processes die with the helper (--pdeathsig KILL),
  // so a killed helper leaves no `nft monitor` and no trace table behind.
  'setpriv',
  'sysctl',
  'hostname',
  'uname',
  // The CLI's `--host` and browser mode's remote hosts (issue 14): the user's own ssh, started in
  // the user's process with the user's config, keys, agent and known_hosts; its argv has one fixed
  // shape (exec-argv.ts: checkSsh) — netloom's options, `--`, a checked destination, netloom's script.
  'ssh',
  // Browser mode opens the user's browser (never as root; see serve/open-browser.ts).
  'xdg-open',
  // netloom's own namespace reader (helper/native/nsread.c), beside the helper's bundle; also
  // the journal lock's flock and the desktop socket's SO_PEERCRED (fdops.c).
  'netloom-nsread',
  // util-linux flock on fd 3: the journal lock where netloom-nsread was not built.
  'flock',
] as const;
export type Program = (typeof PROGRAMS)[number];
const ALLOWED = new Set<string>(PROGRAMS);
// Resolved once, at start (program-paths.ts): later changes to PATH or the directories do not matter.
for (const p of PROGRAMS) if (p !== 'netloom-nsread') resolveProgram(p);

/**
 * The file a program is started from: netloom's own beside the bundle, a system program by the
 * absolute path found once, at start, in the trusted directories (program-paths.ts) — never by
 * the caller's PATH. Not found: a path that does not exist, so the start fails as `unavailable`.
 */
function executable(program: Program): string {
  if (program === 'netloom-nsread') return nsreadPath() ?? `/nonexistent/${program}`;
  return resolveProgram(program) ?? `/nonexistent/${program}`;
}

/**
 * The environment of every child: LC_ALL=C for parseable output, and PATH fixed to the trusted
 * directories, so what nsenter or `ip netns exec` runs in turn is found there too.
 */
function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', PATH: TRUSTED_PATH };
}

export interface RunOptions {
  /** Text written to the program's stdin (e.g. `ip -batch -`, `iptables-restore`). */
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Resolve rather than throw on a non-zero exit. */
  allowFailure?: boolean;
  maxOutputBytes?: number;
  /** Also hand back stdout as bytes (a program that writes binary records). */
  binary?: boolean;
  /** Descriptors handed to the program as fd 3, 4, … (the journal lock's file, a socket to ask about). */
  fds?: number[];
}

export interface RunResult {
  argv: readonly string[];
  stdout: string;
  /** stdout as bytes, when `binary` was asked for. */
  stdoutBytes?: Buffer;
  stderr: string;
  exitCode: number;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Keep stdin open as a pipe (a program that takes commands, e.g. netloom-nsread --monitor). */
  stdin?: boolean;
}

/** What discovery, intents and streams are given: easy to replace with a recording fake. */
export interface Exec {
  run(argv: readonly [Program, ...string[]], opts?: RunOptions): Promise<RunResult>;
  /** A long-lived child (tcpdump, ip monitor). It is killed when the signal aborts or the helper exits. */
  spawn(argv: readonly [Program, ...string[]], opts?: StreamOptions): ChildProcess;
}

const KILL_GRACE_MS = 2000;
const children = new Set<ChildProcess>();

/** SIGTERM, then SIGKILL after a grace period (DESIGN §2 cancel). */
export function terminate(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  timer.unref();
  child.once('exit', () => clearTimeout(timer));
}

/** The pids of the helper's running children: discovery does not count them as a namespace's residents. */
export function childPids(): Set<number> {
  const out = new Set<number>();
  for (const c of children) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) out.add(c.pid);
  return out;
}

/** Every child the helper started, killed on exit: no root process outlives the helper. */
export function killAllChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.once('exit', killAllChildren);

/** The program list, and what a program that runs programs would run in turn (exec-argv.ts). */
function checkArgv(argv: readonly string[], input?: string): void {
  checkArgvShape(argv, input, ALLOWED);
}

function tail(s: string, max = 2000): string {
  return s.length > max ? '…' + s.slice(s.length - max) : s;
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

async function run(argv: readonly [Program, ...string[]], opts: RunOptions = {}): Promise<RunResult> {
  checkArgv(argv, opts.input);
  if (opts.signal?.aborted) throw new ProtocolError('cancelled', 'cancelled before it started');
  const max = opts.maxOutputBytes ?? 256 * 1024 * 1024;
  return await new Promise<RunResult>((resolve, reject) => {
    const stdio: StdioOptions = ['pipe', 'pipe', 'pipe', ...(opts.fds ?? [])];
    const child = track(spawn(executable(argv[0]), argv.slice(1), { stdio, env: childEnv(), argv0: argv[0] }));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let why: 'timeout' | 'cancelled' | 'overflow' | null = null;
    const stop = (reason: typeof why): void => {
      why = reason;
      terminate(child);
    };
    const timer = opts.timeoutMs ? setTimeout(() => stop('timeout'), opts.timeoutMs) : null;
    const onAbort = (): void => stop('cancelled');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (b: Buffer) => {
      size += b.length;
      if (size > max) stop('overflow');
      else out.push(b);
    });
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input ?? '');
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const code = e.code === 'ENOENT' ? 'unavailable' : 'failed';
      const why = e.code === 'ENOENT' ? (argv[0] === 'netloom-nsread' ? 'it was not built' : `it is not installed in ${TRUSTED_PATH}`) : e.message;
      reject(new ProtocolError(code, `${argv[0]} could not be started: ${why}`, { details: { argv: [...argv] } }));
    });
    child.once('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const bytes = Buffer.concat(out);
      const stdout = opts.binary ? '' : bytes.toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (why === 'cancelled') return reject(new ProtocolError('cancelled', `${argv[0]} was cancelled`));
      if (why === 'timeout') return reject(new ProtocolError('failed', `${argv[0]} took longer than ${opts.timeoutMs} ms`, { details: { argv: [...argv] } }));
      if (why === 'overflow') return reject(new ProtocolError('failed', `${argv[0]} printed more than ${max} bytes`));
      const status = exitCode ?? 128;
      if (status !== 0 && !opts.allowFailure) {
        const firstLine = stderr.trim().split('\n')[0] ?? '';
        return reject(
          new ProtocolError('failed', `${commandLine(argv)} failed${signal ? ` (${signal})` : ` (exit ${status})`}: ${firstLine}`, {
            details: { argv: [...argv], exitCode: status, stderr: tail(stderr) },
          }),
        );
      }
      resolve({ argv, stdout, stderr, exitCode: status, ...(opts.binary ? { stdoutBytes: bytes } : {}) });
    });
  });
}

function spawnLong(argv: readonly [Program, ...string[]], opts: StreamOptions = {}): ChildProcess {
  checkArgv(argv);
  const child = track(spawn(executable(argv[0]), argv.slice(1), { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: childEnv(), argv0: argv[0] }));
  child.once('error', () => {});
  child.stdin?.on('error', () => {});
  if (opts.signal) {
    if (opts.signal.aborted) terminate(child);
    else opts.signal.addEventListener('abort', () => terminate(child), { once: true });
  }
  return child;
}

export const systemExec: Exec = { run, spawn: spawnLong };
