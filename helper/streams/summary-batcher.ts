import type { PacketSummary } from '../../protocol/src/capture.js';

export interface BatcherOptions {
  /** Flush period: 33 ms ≈ 30 batches a second at most (DESIGN §7). */
  intervalMs?: number;
  /** Summaries per batch at most. */
  maxBatch?: number;
  /** Summaries waiting at most; beyond it new ones are dropped and counted. */
  maxQueue?: number;
}

/**
 * Queues packet summaries and hands them out in timed batches. When the consumer says it is not
 * ready (its socket is backed up) the queue holds, up to a bound, then drops the newest and counts
 * them: a slow client never grows the helper's memory.
 */
export class SummaryBatcher {
  private queue: PacketSummary[] = [];
  private timer: NodeJS.Timeout | null = null;
  dropped = 0;
  readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;

  constructor(
    private readonly flush: (batch: PacketSummary[]) => void,
    private readonly ready: () => boolean = () => true,
    opts: BatcherOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 33;
    this.maxBatch = opts.maxBatch ?? 5000;
    this.maxQueue = opts.maxQueue ?? 20000;
  }

  /** Whether a summary offered now would be kept (callers skip decoding when not). */
  get full(): boolean {
    return this.queue.length >= this.maxQueue;
  }

  offer(s: PacketSummary): void {
    if (this.full) {
      this.dropped++;
      return;
    }
    this.queue.push(s);
    this.timer ??= setTimeout(() => this.tick(), this.intervalMs);
  }

  /** Counts a summary dropped without being built. */
  drop(): void {
    this.dropped++;
  }

  private tick(): void {
    this.timer = null;
    if (this.queue.length === 0) return;
    if (this.ready()) this.emit(this.maxBatch);
    if (this.queue.length > 0) this.timer = setTimeout(() => this.tick(), this.intervalMs);
  }

  private emit(max: number): void {
    const batch = this.queue.length <= max ? this.queue : this.queue.slice(0, max);
    this.queue = this.queue.length <= max ? [] : this.queue.slice(max);
    this.flush(batch);
  }

  /** Hands out everything still queued (at the end of a capture), then stops. */
  drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0) this.emit(this.maxBatch);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}
