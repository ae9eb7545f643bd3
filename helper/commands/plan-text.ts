import type { CreatedId } from '../../protocol/src/plan.js';
import type { ProtocolError } from '../../protocol/src/errors.js';
import type { UndoSkipped } from '../intents/rollback.js';
import type { RecoveryReport } from '../intents/undo.js';

/**
 * What `netloom plan`, `apply` and `undo` print for a person (issue 13 item 11), as
 * `terraform plan` does: each step's description, then its exact command — copy it into a
 * shell and it does the same. `--json` prints the machine form instead.
 */
export interface StepLine {
  description: string;
  command: string;
  undo?: string | null;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A command under its step: the first line after `$ `, a heredoc's body and EOF indented alike. */
function commandBlock(command: string, indent: string): string {
  return command
    .split('\n')
    .map((l, i) => (i === 0 ? `${indent}$ ${l}` : `${indent}  ${l}`))
    .join('\n');
}

function stepsBlock(steps: StepLine[], withUndo: boolean): string {
  return steps
    .map((s, i) => {
      const lines = [`  ${i + 1}. ${s.description}`, commandBlock(s.command, '     ')];
      if (withUndo) lines.push(s.undo ? `     undo:\n${commandBlock(s.undo, '       ')}` : '     undo: none — this step cannot be undone');
      return lines.join('\n');
    })
    .join('\n\n');
}

function idsAndNotes(ids: CreatedId[], notes: string[]): string {
  const out: string[] = [];
  if (ids.length > 0) out.push(`Rule ids (for rule.remove): ${ids.map((i) => `${i.id} (${i.op}, intent ${i.intent + 1})`).join(', ')}`);
  for (const n of notes) out.push(`Note: ${n}`);
  return out.length > 0 ? `\n${out.join('\n')}\n` : '';
}

function recoveredBlock(recovered: RecoveryReport[] | undefined): string {
  if (!recovered || recovered.length === 0) return '';
  return recovered.map((r) => `Before this: ${r.message}\n`).join('') + '\n';
}

export function planText(p: { steps: StepLine[]; ids: CreatedId[]; notes: string[] }): string {
  if (p.steps.length === 0) return 'Nothing to do: the network already is as the intents ask.\n';
  return (
    `netloom will run ${plural(p.steps.length, 'step')} (dry run: nothing was changed):\n\n` +
    `${stepsBlock(p.steps, true)}\n` +
    idsAndNotes(p.ids, p.notes) +
    `\nPlan: ${plural(p.steps.length, 'step')}. Run \`netloom apply\` with the same intents to make it so; \`netloom undo\` reverts it.\n`
  );
}

export function applyText(r: { planId: string | null; steps: StepLine[]; ids: CreatedId[]; notes: string[]; ms: number; recovered?: RecoveryReport[] }): string {
  return (
    recoveredBlock(r.recovered) +
    `Applied ${plural(r.steps.length, 'step')} in ${Math.round(r.ms)} ms:\n\n${stepsBlock(r.steps, false)}\n` +
    idsAndNotes(r.ids, r.notes) +
    `\nPlan ${r.planId ?? '(not journaled)'} is in effect; \`netloom undo\` reverts it.\n`
  );
}

export function undoText(r: { planId: string; steps: StepLine[]; skipped?: UndoSkipped[]; recovered?: RecoveryReport[] }): string {
  const alone = (r.skipped ?? []).filter((s) => s.kind === 'foreign').map((s) => `Left alone: step ${s.step} — ${s.why}.\n`);
  return recoveredBlock(r.recovered) + `Undid plan ${r.planId} (${plural(r.steps.length, 'step')}):\n\n${stepsBlock(r.steps, false)}\n` + (alone.length ? `\n${alone.join('')}` : '');
}

export interface HistoryLine {
  planId: string;
  appliedAt: string | null;
  steps: string[];
  /** A plan whose plan record was lost: undone from its step records. */
  orphan?: boolean;
}

export function historyText(h: { history: HistoryLine[]; recovered?: RecoveryReport[] }): string {
  if (h.history.length === 0) return recoveredBlock(h.recovered) + 'No plan applied by netloom is in effect.\n';
  const rows = h.history.map((e) => `  ${e.planId}  ${e.appliedAt ?? '?'}${e.orphan ? '  (plan record lost)' : ''}\n      ${plural(e.steps.length, 'step')}: ${e.steps.join('; ')}`);
  return recoveredBlock(h.recovered) + `Plans in effect, oldest first (\`netloom undo\` reverts the last):\n${rows.join('\n')}\n`;
}

/** An error for a person: `netloom apply: failed: step 2 … (field intents.0.name)`. */
export function errorText(command: string, e: ProtocolError): string {
  const where = e.path !== undefined ? ` (field ${e.path})` : '';
  return `netloom ${command}: ${e.code}: ${e.message}${where}\n`;
}
