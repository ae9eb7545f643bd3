import type { Exec } from '../exec.js';
import { commandLine } from '../exec.js';
import type { NsTarget } from '../discover/ns-target.js';
import { programIn } from '../discover/ns-target.js';
import type { IptablesState } from './context.js';
import { parseIptablesSave } from '../firewall/iptables-save.js';
import { comments, parseSpec } from '../firewall/iptables-spec.js';
import { netloomIdOf } from '../firewall/netloom-id.js';

/**
 * netloom's own iptables chains (DESIGN §6). netloom writes rules only into these, each reached
 * by one jump rule at the top of the built-in chain, tagged `netloom` so it can be found again.
 * Docker's, LXC's and the user's chains and rules are never edited, reordered or flushed.
 */
export const NETLOOM_CHAINS = {
  'NETLOOM-PREROUTING': { table: 'nat', builtin: 'PREROUTING' },
  'NETLOOM-OUTPUT': { table: 'nat', builtin: 'OUTPUT' },
  'NETLOOM-POSTROUTING': { table: 'nat', builtin: 'POSTROUTING' },
  'NETLOOM-FORWARD': { table: 'filter', builtin: 'FORWARD' },
  /** Only the guard that goes with route_localnet (localnet.ts). */
  'NETLOOM-INPUT': { table: 'filter', builtin: 'INPUT' },
} as const;
export type NetloomChain = keyof typeof NETLOOM_CHAINS;
export type NetloomTable = (typeof NETLOOM_CHAINS)[NetloomChain]['table'];

/** The jump's match, as iptables-save prints it (without `-A BUILTIN`). */
export const jumpSpec = (chain: NetloomChain): string => `-m comment --comment netloom -j ${chain}`;
/** Inserted at the top: our DNATs must be seen before a broader user rule; Docker re-inserts DOCKER-USER above us, which is fine. */
export const jumpInsertLine = (chain: NetloomChain): string => `-I ${NETLOOM_CHAINS[chain].builtin} 1 ${jumpSpec(chain)}`;
export const jumpDeleteLine = (chain: NetloomChain): string => `-D ${NETLOOM_CHAINS[chain].builtin} ${jumpSpec(chain)}`;
/** The tag every rule netloom writes carries; `rule.remove {id}` deletes exactly the rules with it. */
export const ruleTag = (id: string): string => `-m comment --comment "netloom:${id}"`;

export function hasTag(spec: string, id: string): boolean {
  return netloomIdOf(comments(parseSpec(spec))) === id;
}

/** iptables-save text → chains and rules per table (counters and comments dropped), through the firewall model's parser. */
export function iptablesStateOf(text: string): IptablesState {
  const parsed = parseIptablesSave(text, '');
  const state = iptablesStateFromLists(parsed);
  // A table with no chain lines (an odd save) still counts as present.
  for (const r of parsed.rules) state.chains[r.table] ??= [];
  return state;
}

/** The iptables part (IPv4, either backend) of a namespace's parsed firewall, as compilation's state. */
export function iptablesStateFromLists(lists: { rules: { table: string; chain: string; spec: string; backend?: string; family?: string }[]; chains: { table: string; chain: string; backend?: string; family?: string }[] }): IptablesState {
  const ipt = (x: { backend?: string; family?: string }): boolean => x.backend !== 'nftables' && (x.family ?? 'ip') === 'ip';
  const state: IptablesState = { chains: {}, rules: [] };
  for (const c of lists.chains.filter(ipt)) (state.chains[c.table] ??= []).push(c.chain);
  for (const r of lists.rules.filter(ipt)) state.rules.push({ table: r.table, chain: r.chain, spec: r.spec });
  return state;
}

export function hasChain(state: IptablesState, table: string, chain: string): boolean {
  return state.chains[table]?.includes(chain) ?? false;
}

export function hasJump(state: IptablesState, chain: NetloomChain): boolean {
  const { table, builtin } = NETLOOM_CHAINS[chain];
  return state.rules.some((r) => r.table === table && r.chain === builtin && r.spec === jumpSpec(chain));
}

/** `iptables-restore --noflush` input per table re-inserting the jumps to netloom chains that exist but are no longer reached. */
export function missingJumps(state: IptablesState): { table: NetloomTable; chains: NetloomChain[]; input: string }[] {
  const byTable = new Map<NetloomTable, NetloomChain[]>();
  for (const chain of Object.keys(NETLOOM_CHAINS) as NetloomChain[]) {
    const { table } = NETLOOM_CHAINS[chain];
    if (hasChain(state, table, chain) && !hasJump(state, chain)) byTable.set(table, [...(byTable.get(table) ?? []), chain]);
  }
  return [...byTable].map(([table, chains]) => ({ table, chains, input: restoreInput(table, chains.map(jumpInsertLine)) }));
}

export function restoreInput(table: string, lines: string[]): string {
  return [`*${table}`, ...lines, 'COMMIT', ''].join('\n');
}

/** How `iptables-restore -w --noflush` with this input reads as a command a person would type. */
export function restoreCommand(argv: readonly string[], input: string): string {
  return `${commandLine(argv)} <<'EOF'\n${input}EOF`;
}

/**
 * `-w 5`: wait for the xtables lock (iptables-legacy; nft ignores it) at most 5 s, then fail with
 * iptables' own "Another app is currently holding the xtables lock" — a bare `-w` waits forever.
 */
export const XTABLES_WAIT_SECONDS = '5';
export const restoreArgv = (ns: NsTarget) => programIn(ns, ['iptables-restore', '-w', XTABLES_WAIT_SECONDS, '--noflush']);

/**
 * The repair the live watcher calls after an iptables change: if someone (a Docker restart,
 * `iptables -F`) removed the jumps to netloom's chains, insert them again. Returns the chains re-linked.
 */
export async function ensureJumps(exec: Exec, ns: NsTarget, signal?: AbortSignal): Promise<NetloomChain[]> {
  const save = await exec.run(programIn(ns, ['iptables-save']), { signal });
  const repaired: NetloomChain[] = [];
  for (const fix of missingJumps(iptablesStateOf(save.stdout))) {
    await exec.run(restoreArgv(ns), { input: fix.input, signal });
    repaired.push(...fix.chains);
  }
  return repaired;
}
