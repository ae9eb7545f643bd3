import { systemExec } from '../exec.js';
import { printJson, readIntentsArg, reportError, sayWaiting, takeJsonFlag, warnRejected } from '../intents/cli-io.js';
import { applyPlan } from '../intents/apply.js';
import { compile } from '../intents/compile.js';
import { Journal } from '../intents/journal.js';
import { readPlanContext } from '../intents/read-context.js';
import { recoverJournal } from '../intents/undo.js';
import type { Command } from './command.js';
import { applyText, errorText } from './plan-text.js';

/** Test hook, honoured only inside the network sandbox: stop after step N so a test can kill -9 us mid-plan. */
function pauseHook(): ((index: number) => Promise<void>) | undefined {
  const n = Number(process.env.NETLOOM_TEST_PAUSE_AFTER_STEP);
  if (process.env.NETLOOM_SANDBOX !== '1' || !Number.isInteger(n) || n < 1) return undefined;
  return async (index) => {
    if (index + 1 !== n) return;
    process.stderr.write(`paused after step ${n}\n`);
    await new Promise((r) => setTimeout(r, 60_000));
  };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Under the journal's lock: finish what a killed run left, read state, compile, apply. */
async function applyLocked(args: string[], json: boolean, journal: Journal, signal: AbortSignal): Promise<number> {
  const intents = await readIntentsArg(args);
  const recovered = await recoverJournal(systemExec, journal);
  warnRejected(journal);
  const t0 = performance.now();
  const context = await readPlanContext(systemExec, intents, signal);
  const t1 = performance.now();
  const plan = compile(intents, context);
  const t2 = performance.now();
  const hook = pauseHook();
  const result = await applyPlan(systemExec, plan, { journal, signal, ...(hook ? { afterStep: hook } : {}) });
  const timing = { readStateMs: round(t1 - t0), compileMs: round(t2 - t1), applyMs: result.ms };
  if (json) printJson(process.stdout, { ...result, timing, ...(recovered.length ? { recovered } : {}) });
  else process.stdout.write(applyText({ ...result, recovered }));
  return 0;
}

/** `netloom apply [--json] FILE|-`: all or nothing, journaled; prints what ran (or the error on stderr). */
export const applyCommand: Command = {
  name: 'apply',
  usage: 'apply [--json] FILE|-',
  summary: 'apply intents (all or nothing, undoable)',
  async run(args) {
    const { json, rest } = takeJsonFlag(args);
    const ac = new AbortController();
    const onSignal = (): void => ac.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const journal = new Journal();
      return await journal.withLock(() => applyLocked(rest, json, journal, ac.signal), { who: 'netloom apply', onWait: sayWaiting('apply'), signal: ac.signal });
    } catch (e) {
      return reportError(e, json ? undefined : (err) => errorText('apply', err));
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
