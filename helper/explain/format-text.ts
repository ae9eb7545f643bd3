import type { ExplainResult, Finding, HealthResult, Hop, ProbeResult } from '../../protocol/src/explain.js';
import { probeTraceLines } from './format-trace.js';

/**
 * The CLI's plain-text view of explain results: the path hop by hop, the findings, and the
 * commands of each fix as `netloom plan` prints them.
 */
export interface FixCommands {
  finding: Finding;
  commands: string[];
  error?: string;
}

const MARK: Record<Hop['verdict'], string> = { pass: 'ok ', drop: 'XX ', unknown: '?? ' };

function hopLines(hops: Hop[], label: (ns: string) => string): string[] {
  return hops.map((h, i) => `  ${String(i + 1).padStart(2)}. ${MARK[h.verdict]}${h.stage.padEnd(11)} [${label(h.ns)}] ${h.src} → ${h.dst}  ${h.text}`);
}

export function findingLines(f: Finding, label: (ns: string) => string, fix?: FixCommands): string[] {
  const out = [`  - ${f.code} (${f.severity}${f.ns ? `, ${label(f.ns)}` : ''}): ${f.message}`];
  if (f.fix) {
    out.push(`    fix: ${f.fix.summary}`);
    if (fix?.error) out.push(`      (cannot plan it now: ${fix.error})`);
    for (const c of fix?.commands ?? []) out.push(...c.split('\n').map((l) => `      ${l}`));
  }
  if (f.manual) out.push(`    by hand: ${f.manual}`);
  return out;
}

export function explainText(r: ExplainResult, label: (ns: string) => string, fixes: FixCommands[], probe: ProbeResult | null): string {
  const lines = [`${r.summary}`, `verdict: ${r.verdict.toUpperCase()}`, '', 'request:', ...hopLines(r.request, label)];
  if (r.response.length > 0) lines.push('', 'response:', ...hopLines(r.response, label));
  if (r.findings.length > 0) {
    lines.push('', 'findings:');
    for (const f of r.findings) lines.push(...findingLines(f, label, fixes.find((x) => x.finding === f)));
  }
  if (probe) lines.push('', `probe: ${probe.reached ? 'REACHED' : 'NOT REACHED'} — ${probe.detail} (${probe.ms} ms)`, `  $ ${probe.command}`, ...probeTraceLines(probe, label));
  return lines.join('\n') + '\n';
}

export function healthText(h: HealthResult, fixes: FixCommands[]): string {
  const lines: string[] = [];
  const label = (ns: string): string => h.groups.find((g) => g.ns === ns)?.label ?? ns;
  for (const g of h.groups) {
    lines.push(`${g.label} (${g.ns}): ${g.findings.length === 0 ? 'nothing wrong found' : `${g.findings.length} finding(s)`}`);
    for (const f of g.findings) lines.push(...findingLines(f, label, fixes.find((x) => x.finding === f)));
  }
  return lines.join('\n') + '\n';
}
