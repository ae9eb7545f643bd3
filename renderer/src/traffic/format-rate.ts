const RATE_UNITS = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'];

/**
 * Bytes per second in decimal units, as network tools show link speeds: 1234567 → "1.2 MB/s".
 * Below 1 B/s (an idle link) → "0 B/s".
 */
export function humanRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 1) return '0 B/s';
  let v = bytesPerSecond;
  let u = 0;
  while (v >= 999.5 && u < RATE_UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B/s` : `${v < 9.95 ? v.toFixed(1) : Math.round(v)} ${RATE_UNITS[u]}`;
}

/** Packets per second: 12 → "12 pkt/s", 12345 → "12.3k pkt/s". */
export function humanPacketRate(pps: number): string {
  if (!Number.isFinite(pps) || pps < 0.5) return '0 pkt/s';
  if (pps < 1000) return `${Math.round(pps)} pkt/s`;
  if (pps < 1e6) return `${(pps / 1e3).toFixed(pps < 9950 ? 1 : 0)}k pkt/s`;
  return `${(pps / 1e6).toFixed(1)}M pkt/s`;
}

/**
 * How busy a link looks: 0 idle, 1 trickle (< 10 kB/s), 2 steady (< 1 MB/s), 3 heavy (< 100 MB/s), 4 flood.
 * Edges re-render only when this or the label changes.
 */
export function rateLevel(bytesPerSecond: number): 0 | 1 | 2 | 3 | 4 {
  if (bytesPerSecond < 1) return 0;
  if (bytesPerSecond < 1e4) return 1;
  if (bytesPerSecond < 1e6) return 2;
  if (bytesPerSecond < 1e8) return 3;
  return 4;
}
