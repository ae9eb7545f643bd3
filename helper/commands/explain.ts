import type { ExplainResult, ProbeResult } from '../../protocol/src/index.js';
import { ExplainParams, ProbeParams } from '../../protocol/src/index.js';
import { TopologyCache } from '../discover/topology-cache.js';
import { systemExec } from '../exec.js';
import { explainLive } from '../explain/explain-live.js';
import { explainText } from '../explain/format-text.js';
import { indexSnapshot, nsName } from '../explain/net-index.js';
import { runProbe } from '../explain/probe/run-probe.js';
import { printJson, reportError } from '../intents/cli-io.js';
import type { Command } from './command.js';
import { parseExplainArgs } from './explain-args.js';
import { applyFixes, fixIntents, planFixes } from './explain-fixes.js';

const EXIT: Record<ExplainResult['verdict'], number> = { reaches: 0, blocked: 3, unknown: 4 };

interface Round {
  result: ExplainResult;
  probe: ProbeResult | null;
  text: string;
  fixes: Awaited<ReturnType<typeof planFixes>>;
  /** Why --probe could not run (an address outside this host, a namespace gone…). */
  probeError: string | null;
}

async function round(cache: TopologyCache, params: ExplainParams, probe: boolean, trace: boolean): Promise<Round> {
  const snapshot = await cache.refreshAll();
  const enter = async (id: string) => cache.target(id);
  const parsed = ExplainParams.parse(params);
  const result = await explainLive(systemExec, snapshot, parsed, enter);
  const fixes = await planFixes(systemExec, result.findings);
  let probed: ProbeResult | null = null;
  let probeError: string | null = null;
  if (probe) {
    try {
      probed = await runProbe(systemExec, snapshot, ProbeParams.parse({ src: parsed.src, dst: parsed.dst, proto: parsed.proto, ...(parsed.port !== undefined ? { port: parsed.port } : {}), ...(trace ? { trace: true } : {}) }), enter);
    } catch (e) {
      probeError = e instanceof Error ? e.message : String(e);
    }
  }
  const idx = indexSnapshot(snapshot);
  const text = explainText(result, (ns) => nsName(idx, ns), fixes, probed) + (probeError ? `\nprobe: not run — ${probeError}\n` : '');
  return { result, probe: probed, probeError, fixes, text };
}

const jsonOf = (r: Round) => ({
  ...r.result,
  fixCommands: r.fixes.map((f) => ({ code: f.finding.code, commands: f.commands, ...(f.error ? { error: f.error } : {}) })),
  probe: r.probe,
  ...(r.probeError ? { probeError: r.probeError } : {}),
});

/** `netloom explain SRC DST …`: the path, the findings and their fix commands; `--fix` applies them and explains again. */
export const explainCommand: Command = {
  name: 'explain',
  usage: 'explain SRC DST [--port P] [--proto tcp|udp|icmp] [--fix] [--probe [--trace]] [--json]',
  summary: 'why a packet gets through or not, with fixes (exit 0 reaches, 3 blocked, 4 unknown)',
  async run(args) {
    try {
      const a = parseExplainArgs(args);
      const cache = new TopologyCache(systemExec);
      const before = await round(cache, a.params, a.probe, a.trace);
      if (!a.fix) {
        if (a.json) printJson(process.stdout, jsonOf(before));
        else process.stdout.write(before.text);
        return EXIT[before.result.verdict];
      }
      if (!a.json) process.stdout.write(before.text);
      const intents = fixIntents(before.result.findings);
      if (intents.length === 0) {
        if (a.json) printJson(process.stdout, { before: jsonOf(before), applied: null });
        else process.stdout.write('\nnothing to fix automatically\n');
        return EXIT[before.result.verdict];
      }
      const applied = await applyFixes(systemExec, intents);
      const after = await round(cache, a.params, a.probe, a.trace);
      if (a.json) printJson(process.stdout, { before: jsonOf(before), applied, after: jsonOf(after) });
      else process.stdout.write(`\napplied plan ${applied.planId ?? ''} (${applied.steps.length} step(s); netloom undo reverts it)\n${applied.steps.map((s) => `  $ ${s.command}`).join('\n')}\n\nafter the fix:\n${after.text}`);
      return EXIT[after.result.verdict];
    } catch (e) {
      return reportError(e);
    }
  },
};
