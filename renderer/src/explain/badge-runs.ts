import type { HopBadge } from './path-marks.js';

/**
 * Consecutive hop numbers of one role as one badge ("1–4", "↩8–10"), so a node that many
 * hops pass through (a routing namespace: route, FORWARD, POSTROUTING…) stays readable.
 * A dropped hop keeps a badge of its own.
 */
export function badgeRuns(badges: readonly HopBadge[]): HopBadge[] {
  const num = (b: HopBadge) => Number(b.text.replace('↩', ''));
  const out: { first: HopBadge; last: HopBadge }[] = [];
  for (const b of badges) {
    const run = out.at(-1);
    if (run && !Number.isNaN(num(b)) && !b.blocked && !run.last.blocked && run.last.role === b.role && num(b) === num(run.last) + 1) run.last = b;
    else out.push({ first: b, last: b });
  }
  return out.map(({ first, last }) => (first === last ? first : { ...first, text: `${first.text}–${num(last)}` }));
}
