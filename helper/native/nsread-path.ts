import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/**
 * Where netloom-nsread is: beside the helper's bundle (out/helper, or resources/helper when
 * packaged), or — running from source (tests) — in out/helper of the checkout. null when it
 * was not built (no C compiler): discovery then reads namespaces with ip, as before.
 * Never looked up on PATH or from the working directory: the root helper runs it.
 */
// An ES module bundle (bench probes) has no __dirname: it says where with useNsreadAt.
const here = typeof __dirname === 'string' ? __dirname : null;
let candidates = here === null ? [] : [join(here, 'netloom-nsread'), join(here, '..', '..', 'out', 'helper', 'netloom-nsread')];

let found: string | null | undefined;

/** For code bundled without __dirname: the built reader's path. */
export function useNsreadAt(path: string): void {
  candidates = [path];
  found = undefined;
}

export function nsreadPath(): string | null {
  if (found !== undefined) return found;
  found = null;
  // NETLOOM_NSREAD=off: read with ip even where the reader was built (tests of that path, troubleshooting).
  if (process.env.NETLOOM_NSREAD === 'off') return found;
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      found = c;
      break;
    } catch {
      // not here
    }
  }
  return found;
}
