import type { ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { ProtocolError } from '../../../../protocol/src/errors.js';
import type { NsTarget } from '../../../discover/ns-target.js';
import { programIn } from '../../../discover/ns-target.js';
import type { Exec, Program } from '../../../exec.js';
import { terminate } from '../../../exec.js';
import { parseNftJson } from '../../../firewall/nft-json.js';
import { waitSubscribed } from './netlink-subscribed.js';
import type { TraceLine } from './nft-trace-text.js';
import { parseTraceLine } from './nft-trace-text.js';
import type { NsRuleset } from './trace-deciders.js';
import type { TraceScope } from './trace-scope.js';
import { TRACE_FAMILY, TRACE_TABLE, tracePriority, traceTableScript } from './trace-table.js';

/**
 * Tracing in one namespace, for one probe. One `nft -j -e -i` reads the ruleset (the trace table's
 * name must be free, and the handles name rules later), then makes and holds the trace table
 * (trace-table.ts: `flags owner`, so it lives exactly as long as that process); `nft -a monitor
 * trace` collects the events, started at once beside it. Both run under `setpriv --pdeathsig
 * KILL`: if the helper dies, the kernel kills them, and with the holder the table goes. `close`
 * ends them — always, also after a failed start, a cancel or a timeout — and never throws.
 */
export interface NsTraceSession {
  ns: string;
  ruleset: NsRuleset;
  lines: { line: TraceLine; at: number }[];
  /** performance.now() of the last line the monitor printed. */
  lastAt: number;
  close(): Promise<void>;
}

const READY_MS = 3000;
const EXIT_MS = 2500;
/** A probe's packets make a few dozen lines; this bounds a monitor that sees more than it should. */
const MAX_LINES = 10_000;
const TABLE = `${TRACE_FAMILY} ${TRACE_TABLE}`;

const dying = (argv: [Program, ...string[]]): [Program, ...string[]] => ['setpriv', '--pdeathsig', 'KILL', '--', ...argv];
const firstLine = (s: string): string => s.trim().split('\n')[0] ?? '';

/** `{"nftables": [{"create": {"table": {"family": "inet", "name": "netloom-trace", …}}}, …]}` */
const Echo = z.object({ nftables: z.array(z.record(z.string(), z.unknown())) });
const Created = z.object({ table: z.object({ family: z.string(), name: z.string() }) });
function madeTable(line: string): boolean {
  try {
    const e = Echo.safeParse(JSON.parse(line));
    const first = e.success ? Created.safeParse(e.data.nftables[0]?.create) : null;
    return first?.success === true && first.data.table.family === TRACE_FAMILY && first.data.table.name === TRACE_TABLE;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The `nft -j -i` conversation: a command in, its one JSON line out (or nft's error). */
function conversation(holder: ChildProcess, label: string): (command: string) => Promise<string> {
  const lines: string[] = [];
  let partial = '';
  let err = '';
  let wake: (() => void) | null = null;
  let ended: ProtocolError | null = null;
  const poke = (): void => wake?.();
  holder.stdout?.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.trim() !== ''));
    poke();
  });
  holder.stderr?.on('data', (b: Buffer) => {
    err += b.toString();
    poke();
  });
  holder.once('error', (e: NodeJS.ErrnoException) => {
    ended = e.code === 'ENOENT' ? new ProtocolError('unavailable', `netloom cannot trace in ${label}: setpriv (util-linux) or nft (nftables) is not installed`) : new ProtocolError('failed', `netloom cannot trace in ${label}: ${e.message}`);
    poke();
  });
  holder.once('exit', (code) => {
    ended ??= new ProtocolError('failed', `netloom cannot trace in ${label}: nft ended (exit ${code ?? 'on a signal'}) ${firstLine(err)}`);
    poke();
  });
  return (command) =>
    new Promise<string>((resolve, reject) => {
      lines.length = 0;
      err = '';
      const timer = setTimeout(() => finish(new ProtocolError('failed', `netloom cannot trace in ${label}: nft did not answer within ${READY_MS / 1000} s`)), READY_MS);
      const finish = (e: ProtocolError | null, line?: string): void => {
        clearTimeout(timer);
        wake = null;
        if (e) reject(e);
        else resolve(line ?? '');
      };
      wake = () => {
        if (/^Error: /m.test(err)) finish(new ProtocolError('failed', `netloom could not make its trace table in ${label}: ${firstLine(err)}`));
        else if (lines.length > 0) finish(null, lines.shift());
        else if (ended) finish(ended);
      };
      holder.stdin?.write(`${command}\n`);
      wake();
    });
}

export async function openTrace(exec: Exec, target: NsTarget, label: string, scope: TraceScope, signal?: AbortSignal): Promise<NsTraceSession> {
  const opts = signal ? { signal } : {};
  const holder = exec.spawn(programIn(target, dying(['nft', '-j', '-e', '-i'])), { stdin: true, ...opts });
  const monitor = exec.spawn(programIn(target, dying(['nft', '-a', 'monitor', 'trace'])), opts);
  let made = false;
  const session: NsTraceSession = {
    ns: target.id,
    ruleset: { ns: target.id, chains: [], rules: [] },
    lines: [],
    lastAt: performance.now(),
    close: async () => {
      terminate(monitor);
      if (holder.stdin?.writable) {
        // Said, not only implied: the table goes now; the holder's exit would take it anyway.
        if (made) holder.stdin.write(`delete table ${TABLE}\n`);
        holder.stdin.end();
      } else terminate(holder);
      await Promise.all([exited(monitor, EXIT_MS), exited(holder, EXIT_MS)]);
    },
  };
  let monitorErr = '';
  monitor.stderr?.on('data', (b: Buffer) => (monitorErr += b.toString()));
  monitor.once('error', () => {});
  let partial = '';
  monitor.stdout?.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    const at = performance.now();
    session.lastAt = at;
    for (const text of parts) {
      const line = parseTraceLine(text);
      if (line && session.lines.length < MAX_LINES) session.lines.push({ line, at });
    }
  });
  const ask = conversation(holder, label);
  try {
    const listening = waitSubscribed(monitor.pid ?? -1, READY_MS, () => monitor.exitCode === null && monitor.signalCode === null);
    const rs = parseNftJson(await ask('list ruleset'));
    if (rs.tables.some((t) => t.family === TRACE_FAMILY && t.name === TRACE_TABLE)) {
      throw new ProtocolError('conflict', `a table ${TABLE} already exists in ${label}: it was not made by this probe (another trace is running, or it is someone else's), and netloom leaves it alone. If it is a leftover, \`nft delete table ${TABLE}\` there removes it.`);
    }
    session.ruleset = { ns: target.id, chains: rs.chains, rules: rs.rules };
    // With --echo nft answers the transaction with what it made, or says nothing but its error.
    const echo = await ask(traceTableScript(scope, tracePriority(rs.chains)));
    made = true;
    if (!madeTable(echo)) throw new ProtocolError('failed', `netloom could not make its trace table in ${label}: nft answered ${echo.slice(0, 200)}`);
    if (!(await listening)) throw new ProtocolError('failed', `nft monitor trace did not start listening in ${label}: ${firstLine(monitorErr) || 'it is not running'}`);
    if (signal?.aborted) throw new ProtocolError('cancelled', 'the probe was cancelled');
    return session;
  } catch (e) {
    await session.close();
    // A cancelled call ends its children first: say cancelled, not what their deaths looked like.
    throw signal?.aborted ? new ProtocolError('cancelled', 'the probe was cancelled') : e;
  }
}
