import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import { IP_BATCH_ARGS, IP_BATCH_INPUT } from './ip-batch.js';
import { READ_TIMEOUT_MS, reason } from './read-namespace.js';

/**
 * `ip -all netns exec CMD` runs CMD in every /run/netns namespace, one after another, printing
 * "\nnetns: NAME\n" before each. Forking there costs far less than one spawn per namespace from
 * Node (~1.4 ms each on two cores), so with many named namespaces the whole read is two spawns:
 * the ip batch (its commands in a 0600 file: every child shares stdin) and iptables-save.
 */
export function splitAllNetns(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  // ip prints "\nnetns: NAME\n"; an empty section leaves two headers a single newline apart.
  const parts = stdout.split(/(?:^|\n)netns: ([^\n]*)\n/);
  for (let i = 1; i + 1 < parts.length; i += 2) out.set(parts[i] ?? '', parts[i + 1] ?? '');
  return out;
}

export interface AllNamedRead {
  ip: Map<string, string>;
  iptables: Map<string, string> | null;
  iptablesError: string | null;
}

export async function readAllNamed(exec: Exec, signal?: AbortSignal): Promise<AllNamedRead> {
  const dir = await mkdtemp(join(tmpdir(), 'netloom-'));
  try {
    const batch = join(dir, 'batch');
    await writeFile(batch, IP_BATCH_INPUT, { mode: 0o600 });
    const args = IP_BATCH_ARGS.slice(0, -1); // '-batch' takes the file instead of '-'
    const timeoutMs = READ_TIMEOUT_MS * 6;
    const [ip, ipt] = await Promise.all([
      exec.run(['ip', '-all', 'netns', 'exec', 'ip', ...args, batch], { signal, timeoutMs, allowFailure: true }),
      exec.run(['ip', '-all', 'netns', 'exec', 'iptables-save', '-c'], { signal, timeoutMs, allowFailure: true }).then(
        (r) => r,
        (e: unknown) => {
          if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
          return { stdout: '', stderr: reason(e), exitCode: 1 };
        },
      ),
    ]);
    // ip reports a child it could not exec as `exec of "iptables-save" failed`.
    const iptFailed = /exec of "iptables-save" failed/.test(ipt.stdout + ipt.stderr) || (ipt.exitCode !== 0 && ipt.stdout === '');
    return {
      ip: splitAllNetns(ip.stdout),
      iptables: iptFailed ? null : splitAllNetns(ipt.stdout),
      iptablesError: iptFailed ? `iptables-save could not be run: ${(ipt.stderr || ipt.stdout).trim().split('\n').pop() ?? ''}` : null,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
