/**
 * Waits until `ok()` holds, polling (tests of live state: a host's state, a picture, a file).
 * `why` says what was seen when it timed out.
 */
export async function until(ok: () => boolean, ms = 10_000, why: () => string = () => ''): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms${why() ? `; ${why()}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
