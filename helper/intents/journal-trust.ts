import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ProtocolError } from '../../protocol/src/errors.js';

/**
 * The journal holds commands the helper runs as root (undo, recovery): it is trusted only if no
 * one else could have written it (issue 13 item 6). Its directory and files must belong to the
 * helper's own user (root) with no access for group or others — a journal under a
 * NETLOOM_STATE_DIR someone else can write, or a file left 0644, is refused, never read.
 */
const euid = (): number => process.geteuid?.() ?? 0;

function refusal(what: string, path: string, st: Stats, mask: number): ProtocolError | null {
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  if (st.uid !== euid()) {
    return new ProtocolError('denied', `the journal's ${what} ${path} belongs to uid ${st.uid}, not to uid ${euid()} that runs netloom; its commands run as root, so netloom will not trust it (chown ${euid()} ${path} if it is yours)`, { details: { path, uid: st.uid, mode } });
  }
  if ((st.mode & mask) !== 0) {
    return new ProtocolError('denied', `the journal's ${what} ${path} is open to others (mode ${mode}); its commands run as root, so netloom will not trust it (chmod ${what === 'file' ? '600' : '700'} ${path} after checking it)`, { details: { path, uid: st.uid, mode } });
  }
  return null;
}

/** Throws `denied` unless the open file (and its directory) could only have been written by us. */
export async function checkTrusted(fh: FileHandle, path: string): Promise<void> {
  const file = await fh.stat();
  if (!file.isFile()) throw new ProtocolError('denied', `the journal's file ${path} is not a regular file`);
  const bad = refusal('file', path, file, 0o077) ?? refusal('directory', dirname(path), await stat(dirname(path)), 0o022);
  if (bad) throw bad;
}
