import { randomBytes } from 'node:crypto';
import type { Intent } from '../../protocol/src/intents.js';
import type { CreatedId, Invocation, Plan, PlanStep } from '../../protocol/src/plan.js';
import { commandLine } from '../exec.js';
import type { NsTarget } from '../discover/ns-target.js';
import { ipIn, programIn } from '../discover/ns-target.js';
import type { Action, IpAction, IptablesAction, NftablesAction, SysctlAction } from './actions.js';
import { nftInvocation, renderOwnTable, restoreOwnTable } from './nft-own.js';
import { nsLabel } from './actions.js';
import { buildIntent } from './build-intent.js';
import type { PlanContext } from './context.js';
import { cloneContext } from './context.js';
import { restoreArgv, restoreCommand, restoreInput } from './netloom-chains.js';

export interface CompileOptions {
  /** Rule ids (tests pass a counter); default 8 random hex digits. */
  newId?: () => string;
}

export const newRuleId = (): string => randomBytes(4).toString('hex');

const heredoc = (argv: string[], input: string): Invocation => ({ argv, input, command: restoreCommand(argv, input) });
const plain = (argv: string[]): Invocation => ({ argv, command: commandLine(argv) });

/** An ip step: one command, or `ip [-n NS] -batch -` once a second line joins. */
interface IpGroup {
  ns: NsTarget;
  actions: IpAction[];
  intents: number[];
}

function ipStep(g: IpGroup): PlanStep {
  const [only] = g.actions;
  if (g.actions.length === 1 && only) {
    return {
      description: only.description,
      kind: 'ip',
      run: plain(ipIn(g.ns, only.args)),
      undo: only.undo === null ? null : plain(ipIn(g.ns, only.undo)),
      ...(only.irreversible !== undefined ? { irreversible: only.irreversible } : {}),
      intents: g.intents,
    };
  }
  // Names are validated to [A-Za-z0-9_.-], so joining with spaces is exactly how `ip -batch` splits them.
  const lines = g.actions.map((a) => ({ line: a.args.join(' '), undo: (a.undo ?? []).join(' ') }));
  const argv = ipIn(g.ns, ['-batch', '-']);
  return {
    description: g.actions.map((a) => a.description).join('; '),
    kind: 'ip-batch',
    run: heredoc(argv, lines.map((l) => l.line + '\n').join('')),
    undo: heredoc(argv, [...lines].reverse().map((l) => l.undo + '\n').join('')),
    lines,
    intents: g.intents,
  };
}

function sysctlStep(a: SysctlAction, intent: number): PlanStep {
  const set = (v: string): Invocation => plain(programIn(a.ns, ['sysctl', '-w', `${a.key}=${v}`]));
  return {
    description: a.description,
    kind: 'sysctl',
    run: set(a.value),
    undo: a.previous === null ? null : set(a.previous),
    ...(a.previous === null ? { irreversible: `the value of ${a.key} before could not be read` } : {}),
    intents: [intent],
  };
}

interface IptGroup {
  ns: NsTarget;
  table: string;
  declare: string[];
  lines: string[];
  undoLines: string[];
  descriptions: string[];
  intents: number[];
}

function iptStep(g: IptGroup): PlanStep {
  const argv = restoreArgv(g.ns);
  return {
    description: `${g.descriptions.join('; ')} — one atomic iptables-restore of the ${g.table} table in ${nsLabel(g.ns)}`,
    kind: 'iptables',
    run: heredoc(argv, restoreInput(g.table, [...g.declare, ...g.lines])),
    undo: heredoc(argv, restoreInput(g.table, g.undoLines)),
    intents: g.intents,
  };
}

/** netloom's nftables table in one namespace: one atomic `nft -f` that writes the whole table as the plan leaves it. */
interface NftGroup {
  nft: true;
  ns: NsTarget;
  descriptions: string[];
  intents: number[];
}

function nftStep(g: NftGroup, context: PlanContext, final: PlanContext): PlanStep {
  const before = context.namespaces.find((n) => n.target.id === g.ns.id)?.firewall?.nft?.before ?? null;
  const rules = final.namespaces.find((n) => n.target.id === g.ns.id)?.firewall?.nft?.rules ?? [];
  return {
    description: `${g.descriptions.join('; ')} — one atomic nft transaction rewriting netloom's own table (inet netloom) in ${nsLabel(g.ns)}`,
    kind: 'nftables',
    run: nftInvocation(g.ns, renderOwnTable(rules)),
    undo: nftInvocation(g.ns, restoreOwnTable(before)),
    intents: g.intents,
  };
}

const nsKey = (ns: NsTarget): string => ns.id;
const addIntent = (list: number[], i: number): void => {
  if (!list.includes(i)) list.push(i);
};

/**
 * Intents → Plan, pure. ip commands of one namespace are batched into one `ip -batch -` — a
 * later line joins its namespace's batch unless a step after that batch changed the namespace
 * (created it, put a veth end in it) or something irreversible came; each table of each namespace gets one atomic iptables-restore
 * (placed where its first rule was asked for: rules do not depend on links, only on the
 * namespace, which exists by then). Throws ProtocolError (not_found, conflict, …) naming the intent.
 */
export function compile(intents: Intent[], context: PlanContext, opts: CompileOptions = {}): Plan {
  const env = { state: cloneContext(context), newId: opts.newId ?? newRuleId };
  const slots: (IpGroup | IptGroup | NftGroup | PlanStep)[] = [];
  const nftGroups = new Map<string, NftGroup>();
  /** Per namespace, the ip group later lines may still join: nothing after it touched that namespace. */
  let openIp = new Map<string, IpGroup>();
  let ipt = new Map<string, IptGroup>();
  const ids: CreatedId[] = [];
  const notes: string[] = [];

  const addIp = (a: IpAction, i: number): void => {
    if (a.undo === null) {
      slots.push({ ns: a.ns, actions: [a], intents: [i] });
      openIp = new Map();
      ipt = new Map(); // nothing moves across an irreversible step
      return;
    }
    let g = openIp.get(nsKey(a.ns));
    if (g) {
      g.actions.push(a);
      addIntent(g.intents, i);
    } else {
      g = { ns: a.ns, actions: [a], intents: [i] };
      openIp.set(nsKey(a.ns), g);
      slots.push(g);
    }
    // A later line for a namespace this one changed must run after it, so it may not join an earlier group.
    for (const t of a.touches ?? []) if (t !== nsKey(a.ns)) openIp.delete(t);
  };
  const addIpt = (a: IptablesAction, i: number): void => {
    const key = `${nsKey(a.ns)}|${a.table}`;
    let g = ipt.get(key);
    if (!g) {
      g = { ns: a.ns, table: a.table, declare: [], lines: [], undoLines: [], descriptions: [], intents: [] };
      ipt.set(key, g);
      slots.push(g);
    }
    g.declare.push(...a.declare);
    g.lines.push(...a.lines);
    g.undoLines.unshift(...a.undoLines);
    if (!g.descriptions.includes(a.description)) g.descriptions.push(a.description);
    addIntent(g.intents, i);
  };

  const addNft = (a: NftablesAction, i: number): void => {
    let g = nftGroups.get(nsKey(a.ns));
    if (!g) {
      g = { nft: true, ns: a.ns, descriptions: [], intents: [] };
      nftGroups.set(nsKey(a.ns), g);
      slots.push(g);
    }
    if (!g.descriptions.includes(a.description)) g.descriptions.push(a.description);
    addIntent(g.intents, i);
  };

  intents.forEach((intent, i) => {
    const built = buildIntent(intent, env, `intents.${i}`);
    for (const id of built.ids ?? []) ids.push({ id, op: intent.op, intent: i });
    notes.push(...(built.notes ?? []));
    for (const a of built.actions as Action[]) {
      if (a.kind === 'ip') addIp(a, i);
      else if (a.kind === 'iptables') addIpt(a, i);
      else if (a.kind === 'nftables') addNft(a, i);
      else slots.push(sysctlStep(a, i));
    }
  });

  const steps = slots.map((s) => ('kind' in s ? s : 'actions' in s ? ipStep(s) : 'nft' in s ? nftStep(s, context, env.state) : iptStep(s)));
  const text = JSON.stringify(steps);
  const entered = env.state.namespaces
    .filter((n) => !n.target.own && n.target.name === null && text.includes(n.target.path.replace(/\/ns\/net$/, '')))
    .map((n) => ({ id: n.target.id, path: n.target.path }));
  return { version: 1, intents, steps, ids, notes, ...(entered.length ? { entered } : {}) };
}
