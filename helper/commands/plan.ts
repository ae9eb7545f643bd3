import { planSummary } from '../../protocol/src/plan.js';
import { systemExec } from '../exec.js';
import { printJson, readIntentsArg, reportError, takeJsonFlag } from '../intents/cli-io.js';
import { compile } from '../intents/compile.js';
import { readPlanContext } from '../intents/read-context.js';
import type { Command } from './command.js';
import { errorText, planText } from './plan-text.js';

/** `netloom plan [--json] FILE|-`: the commands apply would run, without running any of them (it only reads state). */
export const planCommand: Command = {
  name: 'plan',
  usage: 'plan [--json] FILE|-',
  summary: 'show the commands that would apply these intents (dry run)',
  async run(args) {
    const { json, rest } = takeJsonFlag(args);
    try {
      const intents = await readIntentsArg(rest);
      const summary = planSummary(compile(intents, await readPlanContext(systemExec, intents)));
      if (json) printJson(process.stdout, summary);
      else process.stdout.write(planText(summary));
      return 0;
    } catch (e) {
      return reportError(e, json ? undefined : (err) => errorText('plan', err));
    }
  },
};
