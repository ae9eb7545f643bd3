import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { JournalRecord } from './journal-records.js';
import { Rec } from './journal-records.js';

/**
 * A record the journal could not take (its disk full) still has a place: the lock file is made
 * 4 KiB long when it is first created (journal-lock.ts), so writing inside it needs no new
 * space. Bytes 0–255 name the lock's holder; 256–4095 hold the latest record an append could
 * not write — the `done` of a step that ran (with what it made), or the `rolled-back` that says
 * a rollback finished. Recovery reads it as the journal's last line: a full disk no longer makes
 * the next start undo a rollback a second time (issue 13 item 3). One slot is enough: the later
 * record of a plan always supersedes the earlier. Not for copy-on-write filesystems (btrfs),
 * where even an overwrite needs space: there the identities in `done` records still guard.
 */
export const LOCK_FILE_BYTES = 4096;
export const HOLDER_BYTES = 256;
const SPARE_BYTES = LOCK_FILE_BYTES - HOLDER_BYTES;

async function writeAt(lockFile: string, text: string): Promise<void> {
  const fh = await open(lockFile, constants.O_WRONLY | constants.O_NOFOLLOW);
  try {
    await fh.write(text.padEnd(SPARE_BYTES, ' '), HOLDER_BYTES);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Records that end a plan's story; a `done` (what a step made) gives way only to them or to a later `done`. */
const TERMINAL = new Set(['applied', 'rolled-back', 'undone']);

export async function writeSpare(lockFile: string, rec: JournalRecord): Promise<void> {
  const text = JSON.stringify(rec);
  if (Buffer.byteLength(text) >= SPARE_BYTES) return;
  const held = await readSpare(lockFile);
  if (held?.t === 'done' && held.plan === rec.plan && rec.t !== 'done' && !TERMINAL.has(rec.t)) return;
  await writeAt(lockFile, text);
}

export async function readSpare(lockFile: string): Promise<JournalRecord | null> {
  let fh;
  try {
    fh = await open(lockFile, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(SPARE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SPARE_BYTES, HOLDER_BYTES);
    const text = buf.subarray(0, bytesRead).toString('utf8').trim();
    if (text === '') return null;
    const parsed = Rec.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

export async function clearSpare(lockFile: string): Promise<void> {
  if ((await readSpare(lockFile)) !== null) await writeAt(lockFile, '').catch(() => {});
}
