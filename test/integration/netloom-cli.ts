import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built helper bundle the CLI tests run (node scripts/build.mjs --helper-only). */
export const bundle = join(__dirname, '..', '..', 'out/helper/netloom.cjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `netloom ARGS` (the bundle) to its end: exit code, both outputs, how long it took. */
export function netloom(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdin.end(opts.input ?? '');
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr, ms: performance.now() - t0 })));
}
