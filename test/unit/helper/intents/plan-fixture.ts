import type { Plan, PlanStep } from '../../../../protocol/src/index.js';

/** Step n creates bridge dN and its undo deletes it: plans whose order shows in the commands. */
export const step = (n: number, over: Partial<PlanStep> = {}): PlanStep => ({
  description: `step ${n}`,
  kind: 'ip',
  run: { argv: ['ip', 'link', 'add', `d${n}`, 'type', 'bridge'], command: `ip link add d${n} type bridge` },
  undo: { argv: ['ip', 'link', 'delete', `d${n}`], command: `ip link delete d${n}` },
  intents: [n],
  ...over,
});

export const planOf = (steps: PlanStep[]): Plan => ({ version: 1, intents: [], steps, ids: [], notes: [] });
