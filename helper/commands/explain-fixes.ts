import type { Finding, Intent } from '../../protocol/src/index.js';
import { planSummary } from '../../protocol/src/index.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import type { ApplyResult } from '../intents/apply.js';
import { applyPlan } from '../intents/apply.js';
import { compile } from '../intents/compile.js';
import { Journal } from '../intents/journal.js';
import { readPlanContext } from '../intents/read-context.js';
import { recoverJournal } from '../intents/undo.js';
import { sayWaiting } from '../intents/cli-io.js';
import type { FixCommands } from '../explain/format-text.js';

/**
 * The CLI's side of explain's fixes: each fix compiled into a plan to show its exact commands
 * (as `netloom plan` prints them), and `--fix` applying the errors' fixes as one journaled,
 * undoable plan — the same path as `netloom apply`.
 */
export async function planFixes(exec: Exec, findings: Finding[]): Promise<FixCommands[]> {
  const out: FixCommands[] = [];
  for (const f of findings) {
    if (!f.fix) continue;
    try {
      const plan = compile(f.fix.intents, await readPlanContext(exec, f.fix.intents));
      out.push({ finding: f, commands: planSummary(plan).steps.map((s) => `$ ${s.command}`) });
    } catch (e) {
      out.push({ finding: f, commands: [], error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

/** The fixes `--fix` applies: those of the errors (a warning's fix is an alternative or a nicety). */
export function fixIntents(findings: Finding[]): Intent[] {
  return findings.filter((f) => f.severity === 'error' && f.fix !== null).flatMap((f) => f.fix?.intents ?? []);
}

export async function applyFixes(exec: Exec, intents: Intent[], signal?: AbortSignal): Promise<ApplyResult> {
  if (intents.length === 0) throw new ProtocolError('not_found', 'no finding has an automatic fix');
  const journal = new Journal();
  return await journal.withLock(
    async () => {
      await recoverJournal(exec, journal);
      const plan = compile(intents, await readPlanContext(exec, intents, signal));
      return await applyPlan(exec, plan, { journal, ...(signal ? { signal } : {}) });
    },
    { who: 'netloom explain --fix', onWait: sayWaiting('explain') },
  );
}
