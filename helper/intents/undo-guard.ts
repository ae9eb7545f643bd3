import type { Invocation, PlanStep } from '../../protocol/src/plan.js';
import type { Exec } from '../exec.js';
import type { CurrentState, Made, Verdict } from './step-identity.js';
import { ipLines, lineObjects, readCurrent } from './step-identity.js';

/**
 * Whether (and how much of) a done step's undo may run now, from what it made and what is
 * there now (issue 13 item 3). A line of an ip step is undone only if every namespace and link
 * it names is still the one netloom made; a line whose thing is gone was undone already; one
 * whose thing is another (same name, new inode or ifindex) belongs to someone else and is left
 * alone. Rules whose netloom:<id> are all gone were removed already; a sysctl someone changed
 * since is left as they set it.
 */
export type Guarded =
  /** Run this (maybe only some of the step's lines); `leftOut` says which were not, and why. */
  | { run: Invocation; leftOut?: { kind: 'gone' | 'foreign'; why: string } }
  | { skip: 'gone' | 'foreign'; why: string };

function heredoc(argv: string[], input: string): Invocation {
  return { argv, input, command: `${argv.join(' ')} <<'EOF'\n${input}EOF` };
}

const worst = (vs: Verdict[]): Verdict => (vs.includes('foreign') ? 'foreign' : vs.includes('gone') ? 'gone' : 'ours');

export function decideUndo(step: PlanStep, inv: Invocation, made: Made, now: CurrentState): Guarded {
  if (now.ns !== 'ours') {
    const path = made.ns?.path ?? '?';
    return now.ns === 'gone' ? { skip: 'gone', why: `its namespace ${path} is gone` } : { skip: 'foreign', why: `${path} is now another namespace than the one netloom changed` };
  }
  if (step.kind === 'ip' || step.kind === 'ip-batch') {
    const lines = ipLines(step);
    const verdicts = lines.map((words) => {
      const o = lineObjects(words);
      return worst([...o.netns.map((n) => now.netns.get(n) ?? 'ours'), ...o.links.map((l) => now.links.get(l) ?? 'ours')]);
    });
    const named = (v: Verdict): string =>
      lines
        .filter((_, i) => verdicts[i] === v)
        .flatMap((w) => [...lineObjects(w).netns.map((n) => `namespace ${n}`), ...lineObjects(w).links.map((l) => `link ${l}`)])
        .filter((x, i, all) => all.indexOf(x) === i)
        .join(', ');
    if (verdicts.every((v) => v === 'ours')) return { run: inv };
    if (verdicts.every((v) => v !== 'ours')) {
      return verdicts.includes('foreign') ? { skip: 'foreign', why: `${named('foreign')} ${verdicts.filter((v) => v === 'foreign').length === 1 ? 'is' : 'are'} not the one netloom made (made again since)` } : { skip: 'gone', why: `${named('gone')} already gone` };
    }
    if (step.kind === 'ip' || !step.lines || !step.undo) return { skip: 'foreign', why: `${named('foreign') || named('gone')} changed since` };
    const kept = step.lines.filter((_, i) => verdicts[i] === 'ours');
    const foreign = verdicts.includes('foreign');
    const leftOut = foreign
      ? { kind: 'foreign' as const, why: `${named('foreign')} ${verdicts.filter((v) => v === 'foreign').length === 1 ? 'is' : 'are'} not the one netloom made (made again since)` }
      : { kind: 'gone' as const, why: `${named('gone')} already gone` };
    return { run: heredoc(step.undo.argv, [...kept].reverse().map((l) => l.undo + '\n').join('')), leftOut };
  }
  if (step.kind === 'iptables' && now.rulesPresent === 0) return { skip: 'gone', why: `its rules (${(made.rules ?? []).map((id) => `netloom:${id}`).join(', ')}) are already gone` };
  if (step.kind === 'sysctl' && now.sysctl?.verdict === 'foreign') {
    const s = made.sysctl?.[0];
    return { skip: 'foreign', why: `${s?.key ?? 'the sysctl'} is ${now.sysctl.now ?? '?'} now, not the ${s?.value ?? '?'} netloom set: someone changed it since` };
  }
  return { run: inv };
}

/** Reads what is there now and decides; a step with no identities recorded (older journals) runs as before. */
export async function guardUndo(exec: Exec, step: PlanStep, inv: Invocation, made: Made | undefined): Promise<Guarded> {
  if (made === undefined) return { run: inv };
  return decideUndo(step, inv, made, await readCurrent(exec, step, made));
}
