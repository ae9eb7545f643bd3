import { planSummary } from '../../protocol/src/plan.js';
import { systemExec } from '../exec.js';
import { printJson, readIntentsArg, reportError } from '../intents/cli-io.js';
import { compile } from '../intents/compile.js';
import { readPlanContext } from '../intents/read-context.js';
import type { Command } from './command.js';

/** `netloom plan FILE|-`: the commands apply would run, without running any of them (it only reads state). */
export const planCommand: Command = {
  name: 'plan',
  usage: 'plan FILE|-',
  summary: 'show the commands that would apply these intents (dry run)',
  async run(args) {
    try {
      const intents = await readIntentsArg(args);
      const plan = compile(intents, await readPlanContext(systemExec, intents));
      printJson(process.stdout, planSummary(plan));
      return 0;
    } catch (e) {
      return reportError(e);
    }
  },
};
