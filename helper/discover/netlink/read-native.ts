import { ProtocolError } from '../../../protocol/src/errors.js';
import type { Exec } from '../../exec.js';
import { nsreadPath } from '../../native/nsread-path.js';
import { splitRecords, type NsDump } from './records.js';

/** One run of netloom-nsread reads every namespace it is given (a directory: each entry). */
export const NSREAD_TIMEOUT_MS = 20_000;

export function nativeReaderAvailable(): boolean {
  return nsreadPath() !== null;
}

/** Dumps by namespace inode; null when the reader could not be run (ip reads them instead). */
export async function readNative(exec: Exec, paths: string[], signal?: AbortSignal, mode: 'all' | 'tables' = 'all'): Promise<Map<number, NsDump> | null> {
  if (paths.length === 0) return new Map();
  try {
    const args = mode === 'tables' ? ['--tables', ...paths] : paths;
    const r = await exec.run(['netloom-nsread', ...args], { binary: true, signal, timeoutMs: NSREAD_TIMEOUT_MS });
    const out = new Map<number, NsDump>();
    for (const d of splitRecords(r.stdoutBytes ?? Buffer.alloc(0))) if (d.inode !== 0 && !out.has(d.inode)) out.set(d.inode, d);
    return out;
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return null;
  }
}

/** `ns:<inode>` → inode. */
export function inodeOf(id: string): number {
  return Number(id.slice(id.indexOf(':') + 1));
}
