/** The rows a fixed-row-height list must render: [first, last) plus a little overscan. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

/** "12:04:05.123456" in local time, from seconds since the epoch. */
export function packetTime(t: number): string {
  const d = new Date(Math.floor(t * 1000));
  const us = Math.round((t - Math.floor(t)) * 1e6) % 1e6;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(us, 6)}`;
}
