import type { ChildProcess } from 'node:child_process';
import type { Exec } from '../exec.js';

/**
 * Starts `netloom-nsread --monitor` or `--keep`: commands go to its stdin ("+ID PATH", "-ID"),
 * each line it prints goes to onLine. Exits are the caller's to watch (`child.once('exit')`).
 */
export function startCommandChild(exec: Exec, mode: '--monitor' | '--keep', onLine: (line: string) => void): ChildProcess {
  const child = exec.spawn(['netloom-nsread', mode], { stdin: true });
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr?.resume();
  return child;
}

/** Ids are ours (`ns:<inode>`), paths come from the namespace scan; still, nothing that could break a line. */
export function safeCommand(id: string, path: string): boolean {
  return /^[\w:.-]{1,60}$/.test(id) && path.startsWith('/') && !/[\n\0]/.test(path);
}
