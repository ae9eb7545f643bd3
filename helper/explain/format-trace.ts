import type { HopDecider, ProbeResult } from '../../protocol/src/explain.js';

/**
 * The CLI's lines for a traced probe (`netloom explain … --probe --trace`): what really decided,
 * then every traced decision per namespace and hook, and what the trace could not see.
 *
 *   decided for real by: nft inet f fw policy drop (the host)
 *   traced by nftables in ns1, the host, outside (+290 ms):
 *     the host   forward     request   XX nft inet f fw: dropped by its policy drop (3 packets)
 */
const MARK = { pass: 'ok', drop: 'XX', unknown: '??' } as const;

export function deciderWords(d: HopDecider, label: (ns: string) => string): string {
  const where = label(d.ns);
  switch (d.kind) {
    case 'rule':
      return d.backend === 'nftables' ? `"${d.spec}" in nft ${d.family ?? ''} ${d.table} ${d.chain} (${where})` : `-A ${d.chain} ${d.spec} (${d.table}${d.backend === 'nft-compat' ? ', iptables-nft' : d.backend === 'legacy' ? ', legacy' : ''}, ${where})`;
    case 'policy':
      return d.backend === 'nftables' ? `nft ${d.family ?? ''} ${d.table} ${d.chain} policy ${d.policy} (${where})` : `${d.chain} policy ${d.policy} (${d.table}, ${where})`;
    case 'route':
      return `route ${d.text} (${where})`;
    case 'ipRule':
      return `ip rule ${d.text} (${where})`;
    case 'portMapping':
      return `port mapping ${d.proto} ${d.hostPort} (${where})`;
    case 'setting':
      return `${d.name} = ${d.value} (${where})`;
  }
}

export function probeTraceLines(p: ProbeResult, label: (ns: string) => string): string[] {
  if (p.trace === undefined) return [];
  const out: string[] = [];
  if (p.decidedBy) out.push(`  decided for real by: ${deciderWords(p.decidedBy, label)}`);
  else if (!p.reached) out.push('  decided for real by: no traced rule dropped it (see the notes)');
  const where = (p.traced?.namespaces ?? []).map(label).join(', ');
  out.push(`  traced by nftables in ${where || 'no namespace'}${p.traced ? ` (+${Math.round(p.traced.extraMs)} ms)` : ''}:`);
  if (p.trace.length === 0) out.push('    (no rule or policy of nftables decided anything for these packets)');
  const width = Math.max(0, ...p.trace.map((e) => label(e.ns).length));
  for (const e of p.trace) {
    out.push(`    ${label(e.ns).padEnd(width)}  ${e.hook.padEnd(11)} ${e.direction.padEnd(9)} ${MARK[e.verdict]} ${e.text}${e.packets > 1 ? ` (${e.packets} packets)` : ''}`);
  }
  for (const n of p.traceNotes ?? []) out.push(`  note: ${n}`);
  return out;
}
