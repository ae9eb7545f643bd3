import type { ChildProcess } from 'node:child_process';

/**
 * Ends a child the way every helper process of main is ended: its input closed first (it exits
 * on EOF and ends its own children), SIGTERM after `graceMs` if it lingers, SIGKILL after three
 * times that. Resolves once `gone` does (its exit, or its failure to start).
 */
export async function endChild(child: ChildProcess, gone: Promise<void>, graceMs: number): Promise<void> {
  child.stdin?.end();
  const term = setTimeout(() => child.kill('SIGTERM'), graceMs);
  const kill = setTimeout(() => child.kill('SIGKILL'), 3 * graceMs);
  await gone;
  clearTimeout(term);
  clearTimeout(kill);
}
