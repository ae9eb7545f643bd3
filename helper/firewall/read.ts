import { ProtocolError } from '../../protocol/src/errors.js';
import type { FirewallFamily } from '../../protocol/src/firewall.js';
import type { Exec, Program } from '../exec.js';
import type { NsTarget } from '../discover/ns-target.js';
import { programIn } from '../discover/ns-target.js';

/**
 * Reads every firewall source of one namespace: x_tables (`iptables-legacy-save`,
 * `ip6tables-legacy-save`), iptables-nft (`iptables-nft-save`, `ip6tables-nft-save`: its tables
 * live in nftables, but its xt matches are opaque there) and native nftables (`nft -j list
 * ruleset`). With hints from netloom-nsread (which tables exist) only the programs that have
 * something to print are run; without (the ip path) every one is tried, and a missing program
 * is only an error where its tables are known to exist.
 */
export interface SaveText {
  backend: 'legacy' | 'nft-compat';
  family: 'ip' | 'ip6';
  text: string;
}

export interface FirewallTexts {
  saves: SaveText[];
  nftJson: string | null;
  /** Sources that exist but could not be read, as sentences. */
  unread: string[];
}

export interface FirewallHints {
  /** /proc/net/ip{,6}_tables_names not empty; null: not known. */
  legacy4: boolean | null;
  legacy6: boolean | null;
  /** Every nftables table; null: not known. */
  nftTables: { family: FirewallFamily; name: string }[] | null;
}

export const NO_HINTS: FirewallHints = { legacy4: null, legacy6: null, nftTables: null };
export const EMPTY_FIREWALL: FirewallTexts = { saves: [], nftJson: null, unread: [] };

/** iptables-nft keeps its tables under these names in the ip and ip6 families. */
const COMPAT_NAMES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);
export const isCompatTable = (family: string, name: string): boolean => (family === 'ip' || family === 'ip6') && COMPAT_NAMES.has(name);

const READ_TIMEOUT_MS = 10_000;

interface Job {
  argv: [Program, ...string[]];
  /** true: its tables are known to exist, so failing to read them is worth saying. */
  known: boolean;
  what: string;
}

async function runJob(exec: Exec, target: NsTarget, job: Job, signal?: AbortSignal): Promise<{ text: string | null; unread: string | null }> {
  try {
    const r = await exec.run(programIn(target, job.argv), { signal, timeoutMs: READ_TIMEOUT_MS, allowFailure: true });
    if (r.exitCode === 0) return { text: r.stdout, unread: null };
    const why = (r.stderr.trim().split('\n')[0] ?? '') || `exit ${r.exitCode}`;
    return { text: null, unread: job.known ? `${job.what} could not be read: ${why}` : null };
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    const missing = e instanceof ProtocolError && e.code === 'unavailable';
    if (!job.known) return { text: null, unread: null };
    return { text: null, unread: missing ? `${job.what} exist here, but ${job.argv[0]} is not installed` : `${job.what} could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export async function readFirewall(exec: Exec, target: NsTarget, hints: FirewallHints, signal?: AbortSignal): Promise<FirewallTexts> {
  const tables = hints.nftTables;
  const compat = (family: 'ip' | 'ip6'): boolean | null => (tables === null ? null : tables.some((t) => t.family === family && isCompatTable(t.family, t.name)));
  const native = tables?.filter((t) => !isCompatTable(t.family, t.name)) ?? null;
  const jobs: { job: Job; save?: Omit<SaveText, 'text'> }[] = [];
  const add = (known: boolean | null, job: Omit<Job, 'known'>, save?: Omit<SaveText, 'text'>): void => {
    if (known !== false) jobs.push({ job: { ...job, known: known === true }, ...(save ? { save } : {}) });
  };
  add(native === null ? null : native.length > 0, { argv: ['nft', '-j', 'list', 'ruleset'], what: `nftables tables (${(native ?? []).map((t) => `${t.family} ${t.name}`).join(', ')})` });
  add(compat('ip'), { argv: ['iptables-nft-save', '-c'], what: 'iptables-nft rules' }, { backend: 'nft-compat', family: 'ip' });
  add(compat('ip6'), { argv: ['ip6tables-nft-save', '-c'], what: 'ip6tables-nft rules' }, { backend: 'nft-compat', family: 'ip6' });
  add(hints.legacy4, { argv: ['iptables-legacy-save', '-c'], what: 'legacy iptables rules' }, { backend: 'legacy', family: 'ip' });
  add(hints.legacy6, { argv: ['ip6tables-legacy-save', '-c'], what: 'legacy ip6tables rules' }, { backend: 'legacy', family: 'ip6' });
  const results = await Promise.all(jobs.map((j) => runJob(exec, target, j.job, signal)));
  const out: FirewallTexts = { saves: [], nftJson: null, unread: [] };
  results.forEach((r, i) => {
    const j = jobs[i]!;
    if (r.unread !== null) out.unread.push(r.unread);
    if (r.text === null) return;
    if (j.save) out.saves.push({ ...j.save, text: r.text });
    else out.nftJson = r.text;
  });
  return out;
}
