import { randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { constants } from 'node:fs';
import { mkdir, open, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Plan } from '../../protocol/src/plan.js';
import { systemExec } from '../exec.js';
import type { Exec } from '../exec.js';
import { withJournalLock } from './journal-lock.js';
import type { LockOptions } from './journal-lock.js';
import { foldJournal, Rec } from './journal-records.js';
import type { Folded, JournalEntry, JournalRecord } from './journal-records.js';
import { clearSpare, readSpare, writeSpare } from './journal-spare.js';
import { checkTrusted } from './journal-trust.js';
import { stepProblem } from './plan-shape.js';

export type { JournalEntry, JournalRecord, PlanStatus } from './journal-records.js';
export { foldJournal } from './journal-records.js';

/**
 * Write-ahead journal (DESIGN §5): one append-only JSON-lines file, fsync'd after every record
 * (the records: journal-records.ts). A plan is written (with its undo steps) before its first
 * step runs; each step is marked started and done; the plan ends `applied` or `rolled-back`.
 * Folding the records gives each plan's state, so a helper killed at any point finds exactly
 * what ran. Only one writer at a time (journal-lock.ts); only a journal no one else could have
 * written is read (journal-trust.ts).
 */
export const stateDir = (): string => process.env.NETLOOM_STATE_DIR ?? '/var/lib/netloom';
export const JOURNAL_FILE = 'journal.jsonl';
export const LOCK_FILE = 'lock';
/** A plan does not start with less free space than this beside the journal. */
export const MIN_FREE_BYTES = 1024 * 1024;

export const newPlanId = (): string => `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG']);

export class Journal {
  readonly file: string;
  readonly lockFile: string;
  /** Lines of the journal that failed its schema at the last read (a warning, never run). */
  rejectedLines = 0;

  constructor(
    readonly dir: string = stateDir(),
    /** Runs the journal lock's flock (tests of the journal with a fake exec still lock for real). */
    private readonly lockExec: Exec = systemExec,
  ) {
    this.file = join(dir, JOURNAL_FILE);
    this.lockFile = join(dir, LOCK_FILE);
  }

  /**
   * Appends one record and fsyncs it: once this resolves, a crash cannot lose it. When the disk
   * is full the record goes to the spare slot in the lock file instead (journal-spare.ts), which
   * needs no new space, and the error is still thrown.
   */
  async append(rec: JournalRecord): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const fh = await open(this.file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
      try {
        await checkTrusted(fh, this.file);
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
    } catch (e) {
      if (FULL.has((e as NodeJS.ErrnoException).code ?? '')) await writeSpare(this.lockFile, rec).catch(() => {});
      throw e;
    }
  }

  /** The journal's text, or '' when there is none; refused (`denied`) unless only we could have written it. */
  private async text(): Promise<string> {
    let fh;
    try {
      fh = await open(this.file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw e;
    }
    try {
      await checkTrusted(fh, this.file);
      return await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  }

  async fold(): Promise<Folded> {
    const spare = await readSpare(this.lockFile);
    const text = (await this.text()) + (spare !== null ? `\n${JSON.stringify(spare)}\n` : '');
    const folded = foldJournal(text);
    this.rejectedLines = folded.rejected;
    return folded;
  }

  async entries(): Promise<JournalEntry[]> {
    return (await this.fold()).entries;
  }

  /** Applied plans, oldest first (refused and rolled-back plans never enter it; undone ones leave it). */
  async history(): Promise<JournalEntry[]> {
    return (await this.entries()).filter((e) => e.status === 'applied');
  }

  /** After a record made it into the journal: the spare slot's copy (if any) is not needed any more. */
  async settled(): Promise<void> {
    await clearSpare(this.lockFile);
  }

  /**
   * One writer at a time, in this process and across processes (journal-lock.ts): a second
   * netloom neither interleaves its steps nor "recovers" (rolls back) a plan the first is still
   * applying. It waits (saying so through onWait) or is refused `busy`.
   */
  withLock<T>(fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
    // Joins the line synchronously: callers get the lock in the order they asked.
    return withJournalLock(this.lockFile, fn, opts, this.lockExec);
  }

  /** Writes the plan record, after checking it is a plan the compiler writes and that the disk has room. */
  async begin(plan: Plan): Promise<string> {
    const bad = plan.steps.map((s, i) => ({ i, why: stepProblem(s) })).find((p) => p.why !== null);
    if (bad) throw new ProtocolError('internal', `step ${bad.i + 1} of the plan is not in a form the journal accepts: ${bad.why ?? ''}`);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const fs = await statfs(this.dir);
    const free = fs.bavail * fs.bsize;
    if (free < MIN_FREE_BYTES) {
      throw new ProtocolError('unavailable', `the disk holding netloom's journal (${this.dir}) is full (${Math.floor(free / 1024)} KiB free): netloom changes nothing it could not undo after a crash. Free some space and try again`);
    }
    const id = newPlanId();
    const rec = { t: 'plan' as const, plan: id, at: new Date().toISOString(), body: plan };
    Rec.parse(rec);
    await this.append(rec);
    return id;
  }
}
