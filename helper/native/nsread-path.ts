import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/**
 * Where netloom-nsread is: beside the helper's bundle (out/helper, or resources/helper when
 * packaged), or — running from source (tests) — in out/helper of the checkout. null when it
 * was not built (no C compiler): discovery then reads namespaces with ip, as before.
 */
const CANDIDATES = [join(__dirname, 'netloom-nsread'), join(__dirname, '..', '..', 'out', 'helper', 'netloom-nsread')];

let found: string | null | undefined;

export function nsreadPath(): string | null {
  if (found !== undefined) return found;
  found = null;
  for (const c of CANDIDATES) {
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
