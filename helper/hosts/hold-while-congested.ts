import type { LineTransport } from '../server/line-transport.js';
import { CONGESTED_BYTES, isCongested } from '../server/line-transport.js';

/**
 * Backpressure across the hosts process (issue 14): while the page's side has more than
 * CONGESTED_BYTES unsent, stop reading the core's side, so the core's own pipe backs up and its
 * streams coalesce there (DESIGN §7) instead of this process queueing without bound. Reading
 * resumes when the page's side drains.
 */
export function holdWhileCongested(
  page: LineTransport,
  drained: (cb: () => void) => void,
  source: { pause(): void; resume(): void },
  limit = CONGESTED_BYTES,
): LineTransport {
  let held = false;
  drained(() => {
    if (!held) return;
    held = false;
    source.resume();
  });
  return {
    ...page,
    send: (t) => {
      page.send(t);
      if (!held && isCongested(page, limit)) {
        held = true;
        source.pause();
      }
    },
  };
}
