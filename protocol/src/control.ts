import { z } from 'zod';
import { IntentsDocument, RuleId } from './intents.js';
import { CreatedId } from './plan.js';

/**
 * Control methods (DESIGN §5): the UI previews a plan as the exact commands, applies it,
 * lists the history and undoes the last plan. Plans are compiled by the helper; the
 * renderer only ever sends intents.
 */
export const PlanStepView = z.object({ description: z.string(), command: z.string(), undo: z.string().nullable() });
export type PlanStepView = z.infer<typeof PlanStepView>;

/** sha256 (hex) of a compiled plan's steps: what ran, byte for byte, is what was shown. */
export const PlanHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a plan hash from plan.preview');

export const PlanPreview = z.object({
  steps: z.array(PlanStepView),
  ids: z.array(CreatedId),
  /** Side effects a person should know about (route_localnet changed…). */
  notes: z.array(z.string()),
  /** Checks that did not stop the plan but deserve a look (port already listened on, no route back…). */
  warnings: z.array(z.string()),
  planHash: PlanHash,
});
export type PlanPreview = z.infer<typeof PlanPreview>;

export const PlanApplied = PlanPreview.extend({ planId: z.string(), ms: z.number() });
export type PlanApplied = z.infer<typeof PlanApplied>;

export const HistoryEntry = z.object({
  planId: z.string(),
  /** ISO-8601 time it was applied. */
  at: z.string(),
  steps: z.array(PlanStepView),
  ids: z.array(CreatedId),
  /** False when a step cannot be undone (deleting a namespace or a link). */
  undoable: z.boolean(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const PlanHistory = z.object({ plans: z.array(HistoryEntry) });
export type PlanHistory = z.infer<typeof PlanHistory>;

export const PlanUndone = z.object({
  planId: z.string(),
  steps: z.array(PlanStepView),
  /** Steps not undone because what they made is no longer netloom's (the user made it again since), each as a sentence. */
  leftAlone: z.array(z.string()).optional(),
});
export type PlanUndone = z.infer<typeof PlanUndone>;

export const PlanParams = IntentsDocument;

/**
 * plan.apply: the intents and, when the person saw a preview, that preview's rule ids and hash.
 * The helper compiles again against the live state with those ids and runs the plan only if it
 * is byte for byte the one previewed; otherwise `conflict` (preview again).
 */
export const PlanApplyParams = IntentsDocument.extend({
  preview: z.strictObject({ ids: z.array(RuleId).max(1000), planHash: PlanHash }).optional(),
});
export type PlanApplyParams = z.infer<typeof PlanApplyParams>;
