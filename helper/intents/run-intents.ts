import type { Plan } from '../../protocol/src/plan.js';
import { parseIntents } from '../../protocol/src/intents.js';
import type { Exec } from '../exec.js';
import type { ApplyOptions, ApplyResult } from './apply.js';
import { applyPlan } from './apply.js';
import type { CompileOptions } from './compile.js';
import { compile } from './compile.js';
import { readPlanContext } from './read-context.js';

/**
 * The whole path from untrusted JSON to a plan: validate first (nothing runs on invalid input —
 * not even a read), then read the state the intents need, then compile.
 */
export async function planIntents(exec: Exec, input: unknown, opts: CompileOptions & { signal?: AbortSignal } = {}): Promise<Plan> {
  const intents = parseIntents(input);
  return compile(intents, await readPlanContext(exec, intents, opts.signal), opts);
}

export async function applyIntents(exec: Exec, input: unknown, opts: ApplyOptions & CompileOptions = {}): Promise<ApplyResult> {
  return await applyPlan(exec, await planIntents(exec, input, opts), opts);
}
