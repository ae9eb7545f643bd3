import { systemExec } from '../exec.js';
import { printJson, reportError } from '../intents/cli-io.js';
import { Journal } from '../intents/journal.js';
import { recoverJournal, undoLast } from '../intents/undo.js';
import type { Command } from './command.js';

/** `netloom undo`: reverts the last applied plan (across restarts). `undo --history` lists applied plans instead. */
export const undoCommand: Command = {
  name: 'undo',
  usage: 'undo [--history]',
  summary: 'undo the last applied plan (--history: list applied plans)',
  async run(args) {
    try {
      const journal = new Journal();
      const recovered = await recoverJournal(systemExec, journal);
      if (args[0] === '--history') {
        const history = (await journal.history()).map((e) => ({
          planId: e.planId,
          appliedAt: e.appliedAt,
          steps: e.plan.steps.map((s) => s.description),
          ids: e.plan.ids,
        }));
        printJson(process.stdout, { history, ...(recovered.length ? { recovered } : {}) });
        return 0;
      }
      if (args.length > 0) {
        printJson(process.stderr, { error: { code: 'invalid', message: `unknown argument "${args[0]}"` } });
        return 2;
      }
      const result = await undoLast(systemExec, journal);
      printJson(process.stdout, { undone: true, ...result, ...(recovered.length ? { recovered } : {}) });
      return 0;
    } catch (e) {
      return reportError(e);
    }
  },
};
