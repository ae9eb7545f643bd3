import { parseIntents } from '../../protocol/src/intents.js';
import { planSummary } from '../../protocol/src/plan.js';
import { compile } from '../intents/compile.js';
import { planHash } from '../intents/plan-hash.js';
import { readPlanContext } from '../intents/read-context.js';
import type { RequestHandler } from './handler.js';
import { portmapWarnings } from './portmap-warnings.js';

/**
 * `plan.preview`: intents → the plan's exact commands, its rule ids and hash (plan.apply runs
 * exactly this plan when given them back); only reads run (the state the intents need, `ss` for
 * port checks). Compile errors stay ProtocolErrors with paths like `intents.0.name`.
 */
export const planPreview: RequestHandler<'plan.preview'> = {
  kind: 'request',
  run: async (params, call) => {
    const intents = parseIntents(params);
    const context = await readPlanContext(call.ctx.exec, intents, call.signal);
    const plan = compile(intents, context);
    // The snapshot at hand (a live watcher keeps it fresh); reading one only for warnings is not worth it.
    const warnings = await portmapWarnings(call.ctx.exec, intents, context, call.ctx.targets.current(), call.signal).catch(() => []);
    return { ...planSummary(plan), warnings, planHash: planHash(plan) };
  },
};
