/** What a batch of change signals asks for. */
export interface ChangeBatch {
  /** Namespaces to re-read. */
  ids: string[];
  /** Namespaces may have come or gone: re-list them. */
  rescan: boolean;
  /** A runtime spoke (a container started, a network was connected): ask the runtimes again. */
  runtimes?: boolean;
}

export interface BatcherTiming {
  /** Flush once no new signal came for this long… */
  quietMs: number;
  /** …or this long after the first signal, whichever is first, so a busy namespace still gets patches. */
  maxWaitMs: number;
}

export const DEFAULT_TIMING: BatcherTiming = { quietMs: 30, maxWaitMs: 100 };

/**
 * Debounces change signals (one `ip link add` prints several monitor lines) and runs one
 * batch at a time: signals that arrive while a batch runs wait for the next one.
 */
export class ChangeBatcher {
  private ids = new Set<string>();
  private rescan = false;
  private runtimes = false;
  private firstAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private stopped = false;

  constructor(
    private readonly run: (batch: ChangeBatch) => Promise<void>,
    private readonly timing: BatcherTiming = DEFAULT_TIMING,
  ) {}

  markNamespace(id: string): void {
    this.ids.add(id);
    this.schedule();
  }

  markRescan(): void {
    this.rescan = true;
    this.schedule();
  }

  markRuntimes(): void {
    this.runtimes = true;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private get hasWork(): boolean {
    return this.rescan || this.runtimes || this.ids.size > 0;
  }

  private schedule(): void {
    if (this.stopped || this.running) return;
    const now = Date.now();
    if (this.timer === null) this.firstAt = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.timing.quietMs, this.firstAt + this.timing.maxWaitMs - now));
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    if (this.stopped || !this.hasWork) return;
    const batch: ChangeBatch = { ids: [...this.ids], rescan: this.rescan, ...(this.runtimes ? { runtimes: true } : {}) };
    this.ids = new Set();
    this.rescan = false;
    this.runtimes = false;
    this.running = true;
    try {
      await this.run(batch);
    } finally {
      this.running = false;
      if (this.hasWork) this.schedule();
    }
  }
}
