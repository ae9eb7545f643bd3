/**
 * iputils ping's summary: "3 packets transmitted, 3 received, 0% packet loss, time 404ms" and
 * "rtt min/avg/max/mdev = 0.031/0.046/0.061/0.012 ms" (LC_ALL=C, exec sets it).
 */
export function readPing(stdout: string): { sent: number; received: number; avgMs: number | null } {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(stdout);
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(stdout);
  return { sent: Number(counts?.[1] ?? 0), received: Number(counts?.[2] ?? 0), avgMs: rtt?.[1] !== undefined ? Number(rtt[1]) : null };
}

export function pingDetail(stdout: string, stderr: string): { reached: boolean; detail: string } {
  const p = readPing(stdout);
  if (p.sent === 0) return { reached: false, detail: stderr.trim().split('\n')[0] || 'ping did not run' };
  const avg = p.avgMs !== null ? `, ${p.avgMs} ms average` : '';
  return { reached: p.received > 0, detail: `${p.received}/${p.sent} replies${avg}` };
}
