import { randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ProtocolError } from '../../protocol/src/errors.js';
import { Plan } from '../../protocol/src/plan.js';

/**
 * Write-ahead journal (DESIGN §5): one append-only JSON-lines file, fsync'd after every record.
 * A plan is written (with its undo steps) before its first step runs; each step is marked
 * started and done; the plan ends `applied` or `rolled-back`. `undo` appends `undoing`,
 * per-step `undo-done`, then `undone`. Folding the records gives each plan's state, so a helper
 * killed at any point finds exactly what ran.
 */
export const stateDir = (): string => process.env.NETLOOM_STATE_DIR ?? '/var/lib/netloom';
export const JOURNAL_FILE = 'journal.jsonl';

const Rec = z.discriminatedUnion('t', [
  z.object({ t: z.literal('plan'), plan: z.string(), at: z.string(), body: Plan }),
  z.object({ t: z.literal('start'), plan: z.string(), step: z.number().int() }),
  z.object({ t: z.literal('done'), plan: z.string(), step: z.number().int() }),
  z.object({ t: z.literal('applied'), plan: z.string(), at: z.string() }),
  z.object({ t: z.literal('rolled-back'), plan: z.string(), at: z.string(), reason: z.string(), incomplete: z.array(z.string()) }),
  z.object({ t: z.literal('undoing'), plan: z.string(), at: z.string() }),
  z.object({ t: z.literal('undo-done'), plan: z.string(), step: z.number().int() }),
  z.object({ t: z.literal('undone'), plan: z.string(), at: z.string(), incomplete: z.array(z.string()) }),
]);
export type JournalRecord = z.infer<typeof Rec>;

export type PlanStatus = 'pending' | 'applied' | 'rolled-back' | 'undoing' | 'undone';

export interface JournalEntry {
  planId: string;
  at: string;
  plan: Plan;
  status: PlanStatus;
  /** Steps that completed, in order. */
  done: number[];
  /** A step that started and did not finish (the helper died during it), or null. */
  inFlight: number | null;
  /** Steps whose undo completed (during `undo`). */
  undoDone: number[];
  appliedAt: string | null;
}

export const newPlanId = (): string => `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

/** Records → one entry per plan, in the order the plans were written. A torn last line (crash mid-write) is ignored. */
export function foldJournal(text: string): JournalEntry[] {
  const entries = new Map<string, JournalEntry & { started: Set<number> }>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: ReturnType<typeof Rec.safeParse>;
    try {
      parsed = Rec.safeParse(JSON.parse(line));
    } catch {
      continue;
    }
    if (!parsed.success) continue;
    const r = parsed.data;
    if (r.t === 'plan') {
      entries.set(r.plan, { planId: r.plan, at: r.at, plan: r.body, status: 'pending', done: [], inFlight: null, undoDone: [], appliedAt: null, started: new Set() });
      continue;
    }
    const e = entries.get(r.plan);
    if (!e) continue;
    if (r.t === 'start') e.started.add(r.step);
    else if (r.t === 'done') e.done.push(r.step);
    else if (r.t === 'applied') [e.status, e.appliedAt] = ['applied', r.at];
    else if (r.t === 'rolled-back') e.status = 'rolled-back';
    else if (r.t === 'undoing') e.status = 'undoing';
    else if (r.t === 'undo-done') e.undoDone.push(r.step);
    else e.status = 'undone';
  }
  return [...entries.values()].map(({ started, ...e }) => ({ ...e, inFlight: [...started].find((s) => !e.done.includes(s)) ?? null }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Journal {
  readonly file: string;
  constructor(readonly dir: string = stateDir()) {
    this.file = join(dir, JOURNAL_FILE);
  }

  /** Appends one record and fsyncs it: once this resolves, a crash cannot lose it. */
  async append(rec: JournalRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const fh = await open(this.file, 'a+', 0o600);
    try {
      // A record torn by a crash has no newline: start on a fresh line so the next one parses.
      let lead = '';
      const { size } = await fh.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) lead = '\n';
      }
      await fh.write(lead + JSON.stringify(rec) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async entries(): Promise<JournalEntry[]> {
    const text = await readFile(this.file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    return foldJournal(text);
  }

  /** Applied plans, oldest first (refused and rolled-back plans never enter it; undone ones leave it). */
  async history(): Promise<JournalEntry[]> {
    return (await this.entries()).filter((e) => e.status === 'applied');
  }

  /**
   * One writer at a time: a second netloom must neither interleave its steps nor "recover" (roll
   * back) a plan the first is still applying. The lock holds the owner's pid; a lock whose
   * owner is dead (kill -9) is taken over.
   */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const lock = join(this.dir, 'lock');
    for (let attempt = 0; ; attempt++) {
      try {
        const fh = await open(lock, 'wx', 0o600);
        await fh.write(String(process.pid));
        await fh.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
        const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
          throw new ProtocolError('conflict', `another netloom (pid ${owner}) is changing the network right now; try again when it is done`);
        }
        await unlink(lock).catch(() => {});
      }
    }
    try {
      return await fn();
    } finally {
      await unlink(lock).catch(() => {});
    }
  }

  async begin(plan: Plan): Promise<string> {
    const id = newPlanId();
    await this.append({ t: 'plan', plan: id, at: new Date().toISOString(), body: plan });
    return id;
  }
}
