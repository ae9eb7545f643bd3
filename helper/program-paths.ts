import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the root helper looks for system programs: sudo's secure_path, not the caller's PATH
 * (issue 13 item 9). Each program is looked up once — the first time the helper runs it — and
 * kept: a program that appears later under another directory, or a PATH someone set, changes
 * nothing. Children get this PATH too, so what nsenter runs in turn comes from here.
 */
export const TRUSTED_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
export const TRUSTED_PATH = TRUSTED_DIRS.join(':');

const found = new Map<string, string | null>();

function lookUp(program: string): string | null {
  for (const dir of TRUSTED_DIRS) {
    const file = join(dir, program);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The absolute path of a system program, resolved once; null when none of the trusted directories has it. */
export function resolveProgram(program: string): string | null {
  let path = found.get(program);
  if (path === undefined) {
    path = program.includes('/') ? null : lookUp(program);
    found.set(program, path);
  }
  return path;
}
