import type { CounterValues } from '../../protocol/src/counters.js';

/**
 * Parses /proc/net/dev (the table of the reading process's network namespace, or of PID's for
 * /proc/PID/net/dev). Columns after "name:" are 8 receive then 8 transmit counters; names may
 * be glued to the first number when it is long ("eth0:123456789…"), hence the split on ':'.
 */
export function parseProcNetDev(text: string): Map<string, CounterValues> {
  const out = new Map<string, CounterValues>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (name === '' || f.length < 16 || f.some((x) => !Number.isFinite(x))) continue;
    out.set(name, {
      rxBytes: f[0] ?? 0,
      rxPackets: f[1] ?? 0,
      rxErrors: f[2] ?? 0,
      rxDropped: f[3] ?? 0,
      txBytes: f[8] ?? 0,
      txPackets: f[9] ?? 0,
      txErrors: f[10] ?? 0,
      txDropped: f[11] ?? 0,
    });
  }
  return out;
}
