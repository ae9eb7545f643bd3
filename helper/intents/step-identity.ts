import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { PlanStep } from '../../protocol/src/plan.js';
import type { Exec, Program } from '../exec.js';
import { nsreadPath } from '../native/nsread-path.js';

/**
 * What a step made, and whether it is still what netloom made (issue 13 item 3). An undo run
 * from the journal — by `undo`, or by recovery after a restart — must never act on something
 * the user made since under the same name: a namespace is known by its cookie (SO_NETNS_COOKIE,
 * never reused; read by netloom-nsread --cookie) and its inode (reused as soon as the namespace
 * is freed, so alone it is only the fallback where netloom-nsread was not built), a link by its
 * ifindex in that namespace, a rule by its netloom:<id> comment, a sysctl by the value set.
 * The `done` record of each step keeps these; before its undo runs they are read again.
 */
const NsId = { inode: z.number().int(), cookie: z.string().regex(/^\d{1,20}$/).optional() };
export const Made = z
  .object({
    /** The namespace the step ran in, when not the helper's own: path and inode. */
    ns: z.object({ path: z.string(), ...NsId }).strict().optional(),
    netns: z.array(z.object({ name: z.string(), ...NsId }).strict()).optional(),
    links: z.array(z.object({ name: z.string(), ifindex: z.number().int() }).strict()).optional(),
    rules: z.array(z.string().regex(/^[0-9a-f]{8}$/)).optional(),
    sysctl: z.array(z.object({ key: z.string(), value: z.string() }).strict()).optional(),
  })
  .strict();
export type Made = z.infer<typeof Made>;

/** Where a step runs: the helper's own namespace (null) or a path, and its argv without the prefix. */
function stepNs(argv: readonly string[]): { path: string | null; rest: string[]; prefix: string[] } {
  if (argv[0] === 'nsenter' && argv[1]?.startsWith('--net=')) return { path: argv[1].slice(6), rest: argv.slice(3), prefix: argv.slice(0, 3) };
  if (argv[0] === 'ip' && argv[1] === '-n' && argv[2]) return { path: `/run/netns/${argv[2]}`, rest: ['ip', ...argv.slice(3)], prefix: ['ip', '-n', argv[2]] };
  return { path: null, rest: [...argv], prefix: [] };
}

/** The objects one ip command line names: namespaces it adds, links it adds or changes (not deletes). */
export function lineObjects(words: readonly string[]): { netns: string[]; links: string[] } {
  if (words[0] === 'netns') return { netns: words[1] === 'add' && words[2] ? [words[2]] : [], links: [] };
  const links: string[] = [];
  if (words[0] === 'link' && (words[1] === 'delete' || words[1] === 'del')) return { netns: [], links };
  if (words[0] === 'link' && (words[1] === 'add' || words[1] === 'set') && words[2] && words[2] !== 'dev') links.push(words[2]);
  words.forEach((w, i) => {
    const next = words[i + 1];
    if (w === 'dev' && next && !links.includes(next)) links.push(next);
  });
  return { netns: [], links };
}

/** Each ip line of a step (a batch's lines, or the single command's words). */
export function ipLines(step: PlanStep): string[][] {
  if (step.kind === 'ip-batch') return (step.lines ?? []).map((l) => l.line.split(' '));
  if (step.kind !== 'ip') return [];
  return [stepNs(step.run.argv).rest.slice(1)];
}

const inodeOf = (path: string): Promise<number | null> => stat(path).then((s) => s.ino, () => null);

/** Each namespace file's cookie, by path (none where netloom-nsread was not built, or a path is not a namespace). */
async function cookiesOf(exec: Exec, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0 || nsreadPath() === null) return out;
  const r = await exec.run(['netloom-nsread', '--cookie', ...paths], { allowFailure: true, timeoutMs: 10_000 }).catch(() => null);
  const lines = r?.exitCode === 0 ? r.stdout.split('\n') : [];
  paths.forEach((p, i) => {
    const c = lines[i]?.trim() ?? '';
    if (/^\d{1,20}$/.test(c)) out.set(p, c);
  });
  return out;
}

/** A namespace's identity now: inode and (where readable) cookie; null when the path leads nowhere. */
interface NsNow {
  inode: number;
  cookie?: string;
}

async function namespacesNow(exec: Exec, paths: string[]): Promise<Map<string, NsNow | null>> {
  const inodes = await Promise.all(paths.map(inodeOf));
  const cookies = await cookiesOf(exec, paths.filter((_, i) => inodes[i] !== null));
  return new Map(paths.map((p, i) => {
    const inode = inodes[i];
    if (inode === null || inode === undefined) return [p, null];
    const cookie = cookies.get(p);
    return [p, cookie === undefined ? { inode } : { inode, cookie }];
  }));
}

/** Same namespace: the cookie decides when both sides have one; the inode otherwise. */
function sameNs(now: NsNow | null | undefined, then: { inode: number; cookie?: string | undefined }): Verdict {
  if (!now) return 'gone';
  if (now.cookie !== undefined && then.cookie !== undefined) return now.cookie === then.cookie ? 'ours' : 'foreign';
  return now.inode === then.inode ? 'ours' : 'foreign';
}

/** `ip -json link show` in the step's namespace: name → ifindex, or null when it cannot be read. */
async function linkIndexes(exec: Exec, step: PlanStep): Promise<Map<string, number> | null> {
  const { prefix } = stepNs(step.run.argv);
  const argv = (prefix.length === 0 ? ['ip'] : prefix[0] === 'nsenter' ? [...prefix, 'ip'] : prefix).concat(['-json', 'link', 'show']) as [Program, ...string[]];
  try {
    const r = await exec.run(argv, { allowFailure: true, timeoutMs: 10_000 });
    if (r.exitCode !== 0) return null;
    const links = z.array(z.object({ ifname: z.string(), ifindex: z.number() }).loose()).parse(JSON.parse(r.stdout));
    return new Map(links.map((l) => [l.ifname, l.ifindex]));
  } catch {
    return null;
  }
}

/** Right after a step ran: the identities of what it made, for its `done` record. Parts that cannot be read are left out. */
export async function readMade(exec: Exec, step: PlanStep): Promise<Made> {
  const made: Made = {};
  const { path, rest } = stepNs(step.run.argv);
  const lines = ipLines(step).map(lineObjects);
  const netns = lines.flatMap((l) => l.netns);
  const linkNames = [...new Set(lines.flatMap((l) => l.links))];
  const ids = await namespacesNow(exec, [...(path !== null ? [path] : []), ...netns.map((n) => `/run/netns/${n}`)]);
  if (path !== null) {
    const id = ids.get(path);
    if (id) made.ns = { path, ...id };
  }
  if (netns.length > 0) made.netns = netns.flatMap((name) => {
    const id = ids.get(`/run/netns/${name}`);
    return id ? [{ name, ...id }] : [];
  });
  if (linkNames.length > 0) {
    const idx = await linkIndexes(exec, step);
    if (idx !== null) made.links = linkNames.flatMap((name) => (idx.has(name) ? [{ name, ifindex: idx.get(name) ?? 0 }] : []));
  }
  // The rules it adds (`-A`/`-I` lines with netloom:<id>); a step that deletes rules makes none.
  if (step.kind === 'iptables') {
    const added = (step.run.input ?? '').split('\n').filter((l) => /^-[AI] /.test(l));
    made.rules = [...new Set(added.flatMap((l) => [...l.matchAll(/netloom:([0-9a-f]{8})/g)].map((m) => m[1] ?? '')))];
  }
  if (step.kind === 'sysctl') {
    const m = /^([^=]+)=(.*)$/.exec(rest[2] ?? '');
    if (m?.[1] !== undefined && m[2] !== undefined) made.sysctl = [{ key: m[1], value: m[2] }];
  }
  return made;
}

export type Verdict = 'ours' | 'gone' | 'foreign';

/** Before an undo: is the step's namespace, and each thing it made, still netloom's? */
export interface CurrentState {
  ns: Verdict;
  netns: Map<string, Verdict>;
  links: Map<string, Verdict>;
  /** Rules: how many of the step's ids are still in the table. */
  rulesPresent: number | null;
  sysctl: { verdict: Verdict; now: string | null } | null;
}

const compare = (now: number | null | undefined, then: number): Verdict => (now === null || now === undefined ? 'gone' : now === then ? 'ours' : 'foreign');

export async function readCurrent(exec: Exec, step: PlanStep, made: Made): Promise<CurrentState> {
  const { prefix } = stepNs(step.run.argv);
  const out: CurrentState = { ns: 'ours', netns: new Map(), links: new Map(), rulesPresent: null, sysctl: null };
  const ids = await namespacesNow(exec, [...(made.ns ? [made.ns.path] : []), ...(made.netns ?? []).map((n) => `/run/netns/${n.name}`)]);
  if (made.ns) out.ns = sameNs(ids.get(made.ns.path), made.ns);
  if (out.ns !== 'ours') return out;
  for (const n of made.netns ?? []) out.netns.set(n.name, sameNs(ids.get(`/run/netns/${n.name}`), n));
  if ((made.links ?? []).length > 0) {
    const idx = await linkIndexes(exec, step);
    for (const l of made.links ?? []) out.links.set(l.name, idx === null ? 'ours' : compare(idx.get(l.name), l.ifindex));
  }
  if (made.rules && made.rules.length > 0 && step.kind === 'iptables') {
    const table = /^\*(\w+)/.exec(step.run.input ?? '')?.[1] ?? 'filter';
    const argv = (prefix[0] === 'nsenter' ? [...prefix, 'iptables-save', '-t', table] : ['iptables-save', '-t', table]) as [Program, ...string[]];
    const r = await exec.run(argv, { allowFailure: true, timeoutMs: 10_000 }).catch(() => null);
    out.rulesPresent = r === null || r.exitCode !== 0 ? null : made.rules.filter((id) => r.stdout.includes(`netloom:${id}`)).length;
  }
  for (const s of made.sysctl ?? []) {
    const argv = (prefix[0] === 'nsenter' ? [...prefix, 'sysctl', '-n', s.key] : ['sysctl', '-n', s.key]) as [Program, ...string[]];
    const r = await exec.run(argv, { allowFailure: true, timeoutMs: 10_000 }).catch(() => null);
    const now = r !== null && r.exitCode === 0 ? r.stdout.trim() : null;
    out.sysctl = { verdict: now === null || now === '' ? 'ours' : now === s.value ? 'ours' : 'foreign', now };
  }
  return out;
}
