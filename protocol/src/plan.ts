import { z } from 'zod';
import { Intent } from './intents.js';

/**
 * A compiled plan (DESIGN §5): ordered steps, each a program's argv (plus stdin for
 * `ip -batch -` / `iptables-restore`) and the invocation that undoes it. The helper writes it
 * to its journal before running it, so it must round-trip through JSON.
 */
export const Invocation = z.object({
  argv: z.array(z.string()).min(1),
  /** stdin for `ip -batch -` and `iptables-restore --noflush`. */
  input: z.string().optional(),
  /** The exact shell command a person would type (heredoc for stdin). */
  command: z.string(),
});
export type Invocation = z.infer<typeof Invocation>;

/** One line of an `ip -batch` step and the line that undoes it: a batch that fails at line N has run N-1 lines. */
export const BatchLine = z.object({ line: z.string(), undo: z.string() });
export type BatchLine = z.infer<typeof BatchLine>;

export const PlanStep = z.object({
  description: z.string(),
  kind: z.enum(['ip', 'ip-batch', 'iptables', 'nftables', 'sysctl']),
  run: Invocation,
  /** null when the step cannot be undone; `irreversible` says why. */
  undo: Invocation.nullable(),
  irreversible: z.string().optional(),
  /** For `ip-batch` steps: each line with its undo line, for a partial rollback. */
  lines: z.array(BatchLine).optional(),
  /** Index of the intent(s) this step comes from. */
  intents: z.array(z.number().int()),
});
export type PlanStep = z.infer<typeof PlanStep>;

export const CreatedId = z.object({ id: z.string(), op: z.string(), intent: z.number().int() });
export type CreatedId = z.infer<typeof CreatedId>;

export const Plan = z.object({
  version: z.literal(1),
  intents: z.array(Intent),
  steps: z.array(PlanStep),
  /** Ids of the rules this plan creates (masquerades, port mappings), for `rule.remove`. */
  ids: z.array(CreatedId),
  /** Side effects a person should know about ("sets net.ipv4.conf.all.route_localnet=1 (was 0)"). */
  notes: z.array(z.string()),
  /**
   * Namespaces the steps enter by a process path (/proc/PID/ns/net) rather than a name, with the
   * id they had: after a restart the pid may belong to another namespace, so undo checks first.
   */
  entered: z.array(z.object({ id: z.string(), path: z.string() })).optional(),
});
export type Plan = z.infer<typeof Plan>;

/** What `plan` prints: the steps as commands. */
export function planSummary(plan: Plan): { steps: { description: string; command: string; undo: string | null }[]; ids: CreatedId[]; notes: string[] } {
  return {
    steps: plan.steps.map((s) => ({ description: s.description, command: s.run.command, undo: s.undo?.command ?? null })),
    ids: plan.ids,
    notes: plan.notes,
  };
}
