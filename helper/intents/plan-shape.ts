import { z } from 'zod';
import { Invocation, Plan, PlanStep } from '../../protocol/src/plan.js';
import type { Invocation as InvocationT, PlanStep as PlanStepT } from '../../protocol/src/plan.js';
import { XTABLES_WAIT_SECONDS } from './netloom-chains.js';

/**
 * The forms of command the compiler writes (compile.ts), and nothing else (issue 13 item 6).
 * The journal's commands run as root — at undo and at start-up recovery — so a plan is checked
 * against these forms when it is written (a compiler bug stops there) and every record read
 * back is checked again (a forged or damaged journal is refused, never run). One schema for
 * both directions: what the compiler writes is exactly what the journal accepts.
 *
 *   ip         ip [-n NAME] ARGS…           or  nsenter --net=PATH -- ip ARGS…
 *   ip-batch   ip [-n NAME] [-force] -batch -  (stdin: one ip command a line)
 *   iptables   iptables-restore -w 5 --noflush  (stdin: one table), maybe inside nsenter
 *   sysctl     sysctl -w KEY=VALUE for the keys intents set, maybe inside nsenter
 *   nftables   nft -f -  (stdin: netloom's own table `inet netloom` rewritten whole), maybe inside nsenter
 *
 * No form runs another program: `ip netns exec`/`vrf exec` and any word outside ip's objects
 * are refused in ip's arguments and batch lines.
 */

const NAME = /^[A-Za-z0-9_.-]{1,15}$/;
/** Words of an ip command the compiler writes: names, addresses, numbers, keywords. */
const IP_WORD = /^[A-Za-z0-9_.:/-]{1,64}$/;
const IP_OBJECTS = new Set(['netns', 'link', 'addr', 'address', 'route', 'rule']);
/** The sysctl keys an intent sets (forwarding.ts, nat.ts). */
const SYSCTL_KEYS = [/^net\.ipv4\.ip_forward$/, /^net\.ipv4\.conf\.(all|default|[A-Za-z0-9_.-]{1,15})\.(route_localnet|forwarding)$/, /^net\.ipv6\.conf\.all\.forwarding$/];

function nsPrefix(argv: readonly string[]): { rest: string[]; ok: boolean } {
  if (argv[0] === 'nsenter') {
    const ok = /^--net=\/[^\s\0]+$/.test(argv[1] ?? '') && argv[2] === '--';
    return { rest: argv.slice(3), ok };
  }
  return { rest: [...argv], ok: true };
}

/** An ip command line's words (argv after `ip [-n NAME]`, or one batch line) as the compiler writes them. */
export function ipWordsOk(words: readonly string[]): boolean {
  if (words.length === 0 || !IP_OBJECTS.has(words[0] ?? '')) return false;
  if (words.includes('exec')) return false;
  return words.every((w) => IP_WORD.test(w));
}

function ipArgv(argv: readonly string[]): { words: string[]; ok: boolean } {
  const { rest, ok } = nsPrefix(argv);
  if (!ok || rest[0] !== 'ip') return { words: [], ok: false };
  let words = rest.slice(1);
  if (words[0] === '-n') {
    if (argv[0] === 'nsenter' || !NAME.test(words[1] ?? '')) return { words: [], ok: false };
    words = words.slice(2);
  }
  return { words, ok: true };
}

function batchOk(inv: InvocationT): boolean {
  const { words, ok } = ipArgv(inv.argv);
  if (!ok) return false;
  const flags = words.join(' ');
  if (flags !== '-batch -' && flags !== '-force -batch -') return false;
  const lines = (inv.input ?? '').split('\n').filter((l) => l !== '');
  return lines.every((l) => ipWordsOk(l.trim().split(/\s+/)));
}

function restoreOk(inv: InvocationT): boolean {
  const { rest, ok } = nsPrefix(inv.argv);
  if (!ok || rest.join(' ') !== `iptables-restore -w ${XTABLES_WAIT_SECONDS} --noflush`) return false;
  // One table, rules and chain declarations, COMMIT: nothing iptables-restore would read as more.
  const lines = (inv.input ?? '').split('\n').filter((l) => l !== '');
  return /^\*(filter|nat|mangle|raw)$/.test(lines[0] ?? '') && lines.at(-1) === 'COMMIT' && lines.slice(1, -1).every((l) => /^(:[A-Z][A-Z0-9_-]{0,28} - \[0:0\]|-[ADIX] [A-Z][A-Z0-9_-]{0,28}( .*)?)$/.test(l) && !l.includes('\0'));
}

/**
 * netloom's own table and nothing else: the reset of `inet netloom`, then at most that table,
 * its base chains and rules tagged netloom (nft-own.ts). No `include`, `define`, other table
 * or command can hide in it: a rule line has no braces, semicolons or comments of its own.
 */
const NFT_FIXED = [/^table inet netloom \{\}$/, /^delete table inet netloom$/, /^table inet netloom \{$/, /^\}$/, /^\s*\}$/, /^\s*$/];
const NFT_CHAIN = /^\s*chain (prerouting|output|postrouting|forward|input) \{$/;
const NFT_TYPE = /^\s*type (nat|filter) hook (prerouting|output|postrouting|forward|input) priority (dstnat|srcnat|filter|-?\d{1,4}); policy accept;$/;
const NFT_RULE = /^\s*[A-Za-z0-9 _.:/,"!=@\[\]-]+ comment "netloom:[0-9a-z-]{1,40}"$/;

function nftOk(inv: InvocationT): boolean {
  const { rest, ok } = nsPrefix(inv.argv);
  if (!ok || rest.join(' ') !== 'nft -f -') return false;
  const lines = (inv.input ?? '').split('\n');
  if (lines[0] !== 'table inet netloom {}' || lines[1] !== 'delete table inet netloom') return false;
  return lines.every((l) => !l.includes('\0') && (NFT_FIXED.some((r) => r.test(l)) || NFT_CHAIN.test(l) || NFT_TYPE.test(l) || NFT_RULE.test(l)));
}

function sysctlOk(inv: InvocationT): boolean {
  const { rest, ok } = nsPrefix(inv.argv);
  if (!ok || rest.length !== 3 || rest[0] !== 'sysctl' || rest[1] !== '-w') return false;
  const m = /^([a-z0-9_.-]+)=([0-9]{1,3})$/.exec(rest[2] ?? '');
  return m !== null && SYSCTL_KEYS.some((k) => k.test(m[1] ?? '')) && inv.input === undefined;
}

/** Whether one invocation of a step of this kind is a form the compiler writes. */
export function invocationOk(kind: PlanStepT['kind'], inv: InvocationT): boolean {
  if (kind === 'ip') {
    const { words, ok } = ipArgv(inv.argv);
    return ok && inv.input === undefined && ipWordsOk(words);
  }
  if (kind === 'ip-batch') return batchOk(inv);
  if (kind === 'iptables') return restoreOk(inv);
  if (kind === 'nftables') return nftOk(inv);
  return sysctlOk(inv);
}

/** Why a step is not one the compiler writes, or null. */
export function stepProblem(step: PlanStepT): string | null {
  if (!invocationOk(step.kind, step.run)) return `its command is not one netloom writes: ${step.run.command.split('\n')[0] ?? ''}`;
  if (step.undo !== null && !invocationOk(step.kind, step.undo)) return `its undo is not one netloom writes: ${step.undo.command.split('\n')[0] ?? ''}`;
  for (const l of step.lines ?? []) {
    if (!ipWordsOk(l.line.split(' ')) || (l.undo !== '' && !ipWordsOk(l.undo.split(' ')))) return `its batch line is not one netloom writes: ${l.line}`;
  }
  return null;
}

const shaped = (ctx: z.core.$RefinementCtx<PlanStepT>, step: PlanStepT): void => {
  const why = stepProblem(step);
  if (why !== null) ctx.addIssue({ code: 'custom', message: why });
};

/** A plan as the compiler writes it and the journal accepts it. */
export const TrustedStep = PlanStep.superRefine((s, ctx) => shaped(ctx, s));
export const TrustedPlan = Plan.extend({ steps: z.array(TrustedStep) });

/** An undo invocation kept in a `done` record (for a plan whose plan record was lost), checked the same way. */
export const TrustedUndo = z.object({ kind: PlanStep.shape.kind, inv: Invocation }).refine((u) => invocationOk(u.kind, u.inv), 'an undo command netloom does not write');
