import type { ChildProcess } from 'node:child_process';
import { ProtocolError } from '../../../../protocol/src/index.js';
import type { Exec, Program, RunOptions, RunResult } from '../../../../helper/exec.js';

export interface Call {
  argv: string[];
  input?: string;
}

/** A recording Exec: every call is kept; `fail(call)` returns stderr to make that call fail like a real program. */
export function recordingExec(opts: { fail?: (c: Call, n: number) => string | null; reply?: (c: Call) => string } = {}) {
  const calls: Call[] = [];
  const exec: Exec = {
    async run(argv: readonly [Program, ...string[]], o: RunOptions = {}): Promise<RunResult> {
      const call: Call = { argv: [...argv], ...(o.input !== undefined ? { input: o.input } : {}) };
      calls.push(call);
      const stderr = opts.fail?.(call, calls.length - 1) ?? null;
      if (stderr !== null && !o.allowFailure) {
        throw new ProtocolError('failed', `${argv.join(' ')} failed (exit 1): ${stderr.split('\n')[0]}`, { details: { argv: [...argv], exitCode: 1, stderr } });
      }
      return { argv, stdout: opts.reply?.(call) ?? '', stderr: stderr ?? '', exitCode: stderr === null ? 0 : 1 };
    },
    spawn(): ChildProcess {
      throw new Error('spawn is not expected here');
    },
  };
  return { exec, calls };
}

/** A read the journal makes around a step (what it made, whether it is still there), not a change. */
export const isIdentityRead = (c: Call): boolean => c.argv.includes('--cookie') || c.argv.includes('-json') || c.argv.includes('iptables-save') || (c.argv.includes('sysctl') && c.argv.includes('-n'));

/** The calls that change something, in order: identity reads left out. */
export const changes = (calls: Call[]): Call[] => calls.filter((c) => !isIdentityRead(c));
