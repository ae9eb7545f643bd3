import { systemExec } from '../exec.js';
import { printJson, reportError, sayWaiting, takeJsonFlag, warnRejected } from '../intents/cli-io.js';
import { Journal } from '../intents/journal.js';
import { recoverJournal, undoLast } from '../intents/undo.js';
import type { Command } from './command.js';
import { errorText, historyText, undoText } from './plan-text.js';

const USAGE = 'undo [--history] [--json]';

async function undoLocked(history: boolean, json: boolean, journal: Journal): Promise<number> {
  const recovered = await recoverJournal(systemExec, journal);
  warnRejected(journal);
  const extra = recovered.length ? { recovered } : {};
  if (history) {
    const list = (await journal.history()).map((e) => ({
      planId: e.planId,
      appliedAt: e.appliedAt,
      steps: e.plan.steps.map((s) => s.description),
      ids: e.plan.ids,
      ...(e.orphan ? { orphan: true } : {}),
    }));
    if (json) printJson(process.stdout, { history: list, ...extra });
    else process.stdout.write(historyText({ history: list, recovered }));
    return 0;
  }
  const result = await undoLast(systemExec, journal);
  if (json) printJson(process.stdout, { undone: true, ...result, ...extra });
  else process.stdout.write(undoText({ ...result, recovered }));
  return 0;
}

/** `netloom undo`: reverts the last applied plan (across restarts). `undo --history` lists applied plans instead. */
export const undoCommand: Command = {
  name: 'undo',
  usage: USAGE,
  summary: 'undo the last applied plan (--history: list applied plans)',
  async run(args) {
    const { json, rest } = takeJsonFlag(args);
    if (rest.length > 1 || (rest[0] !== undefined && rest[0] !== '--history')) {
      const message = `unknown argument "${rest[0] ?? rest[1] ?? ''}": use netloom ${USAGE}`;
      if (json) printJson(process.stderr, { error: { code: 'invalid', message } });
      else process.stderr.write(`netloom undo: ${message}\n`);
      return 2;
    }
    try {
      const journal = new Journal();
      return await journal.withLock(() => undoLocked(rest[0] === '--history', json, journal), { who: 'netloom undo', onWait: sayWaiting('undo') });
    } catch (e) {
      return reportError(e, json ? undefined : (err) => errorText('undo', err));
    }
  },
};
