import { systemExec } from '../exec.js';
import { printJson, reportError } from '../intents/cli-io.js';
import { Journal } from '../intents/journal.js';
import { recoverJournal, undoLast } from '../intents/undo.js';
import type { Command } from './command.js';

async function undoLocked(args: string[], journal: Journal): Promise<number> {
  const recovered = await recoverJournal(systemExec, journal);
  const extra = recovered.length ? { recovered } : {};
  if (args[0] === '--history') {
    const history = (await journal.history()).map((e) => ({
      planId: e.planId,
      appliedAt: e.appliedAt,
      steps: e.plan.steps.map((s) => s.description),
      ids: e.plan.ids,
    }));
    printJson(process.stdout, { history, ...extra });
    return 0;
  }
  const result = await undoLast(systemExec, journal);
  printJson(process.stdout, { undone: true, ...result, ...extra });
  return 0;
}

/** `netloom undo`: reverts the last applied plan (across restarts). `undo --history` lists applied plans instead. */
export const undoCommand: Command = {
  name: 'undo',
  usage: 'undo [--history]',
  summary: 'undo the last applied plan (--history: list applied plans)',
  async run(args) {
    if (args.length > 1 || (args[0] !== undefined && args[0] !== '--history')) {
      printJson(process.stderr, { error: { code: 'invalid', message: `unknown argument "${args[0]}": use netloom undo [--history]` } });
      return 2;
    }
    try {
      const journal = new Journal();
      return await journal.withLock(() => undoLocked(args, journal));
    } catch (e) {
      return reportError(e);
    }
  },
};
