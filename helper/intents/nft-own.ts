import type { Invocation } from '../../protocol/src/plan.js';
import type { NsTarget } from '../discover/ns-target.js';
import { programIn } from '../discover/ns-target.js';
import { commandLine } from '../exec.js';
import { NETLOOM_TABLE } from '../firewall/writer-choice.js';

/**
 * netloom's own nftables table, `inet netloom`, on a host whose firewall is native nftables. Every
 * change rewrites the whole table in one `nft -f` transaction (create it if missing, delete it,
 * declare it anew): atomic, idempotent, and it never touches another table. The undo writes back
 * the table exactly as `nft -s list table inet netloom` printed it before.
 */
export const NFT_CHAINS = {
  prerouting: 'type nat hook prerouting priority dstnat; policy accept;',
  // nft 1.0.6 refuses the name `dstnat` at the output hook: the number it stands for.
  output: 'type nat hook output priority -100; policy accept;',
  postrouting: 'type nat hook postrouting priority srcnat; policy accept;',
  forward: 'type filter hook forward priority filter; policy accept;',
  // Only the 127.0.0.0/8 guard of a mapping that 127.0.0.1 reaches (localnet.ts).
  input: 'type filter hook input priority filter; policy accept;',
} as const;
export type NftChainName = keyof typeof NFT_CHAINS;

export interface NftOwnRule {
  chain: NftChainName;
  /** The rule as nft spells it, its `comment "netloom:<id>"` included. */
  text: string;
  id: string | null;
}

export interface NftOwnState {
  /** The table as listed before the plan (`nft -s list table inet netloom`), null when it did not exist. */
  before: string | null;
  rules: NftOwnRule[];
}

const TABLE = `${NETLOOM_TABLE.family} ${NETLOOM_TABLE.name}`;
const ID = /comment "netloom:([0-9a-z-]+)"/;

/** `nft -s list table inet netloom` → its rules by chain. */
export function parseOwnTable(text: string | null): NftOwnState {
  const rules: NftOwnRule[] = [];
  let chain: NftChainName | null = null;
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.trim();
    const c = /^chain (\S+) \{$/.exec(line);
    if (c) {
      chain = c[1] !== undefined && c[1] in NFT_CHAINS ? (c[1] as NftChainName) : null;
      continue;
    }
    if (line === '}' ) {
      chain = null;
      continue;
    }
    if (chain === null || line === '' || line.startsWith('type ') || line.startsWith('policy ')) continue;
    rules.push({ chain, text: line, id: ID.exec(line)?.[1] ?? null });
  }
  return { before: text !== null && text.trim() !== '' ? text : null, rules };
}

const RESET = `table ${TABLE} {}\ndelete table ${TABLE}\n`;

/** The `nft -f` input that makes the table hold exactly these rules (none: no table). */
export function renderOwnTable(rules: NftOwnRule[]): string {
  if (rules.length === 0) return RESET;
  const chains = (Object.keys(NFT_CHAINS) as NftChainName[]).filter((c) => rules.some((r) => r.chain === c));
  const body = chains.map((c) => [`\tchain ${c} {`, `\t\t${NFT_CHAINS[c]}`, ...rules.filter((r) => r.chain === c).map((r) => `\t\t${r.text}`), '\t}'].join('\n'));
  return `${RESET}table ${TABLE} {\n${body.join('\n\n')}\n}\n`;
}

export function restoreOwnTable(before: string | null): string {
  return before === null ? RESET : `${RESET}${before.endsWith('\n') ? before : before + '\n'}`;
}


export function nftInvocation(ns: NsTarget, input: string): Invocation {
  const argv = programIn(ns, ['nft', '-f', '-']);
  return { argv, input, command: `${commandLine(argv)} <<'EOF'\n${input}EOF` };
}
