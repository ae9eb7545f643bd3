import { ProtocolError } from '../../protocol/src/errors.js';

/**
 * Filter checks (`tcpdump -d`, one process each) through a small queue (issue 13 item 5): 300
 * checks asked at once used to start 300 tcpdumps. At most RUNNING run together; up to WAITING
 * more wait their turn (a cancelled one leaves the line); beyond that a check is refused at once.
 */
export const RUNNING = 2;
export const WAITING = 32;

export class TaskQueue {
  private running = 0;
  private readonly line: (() => void)[] = [];

  constructor(
    private readonly maxRunning = RUNNING,
    private readonly maxWaiting = WAITING,
  ) {}

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.line.length;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // A slot is either taken here or handed over by the task that ends (never both).
    if (this.running < this.maxRunning) this.running++;
    else {
      if (this.line.length >= this.maxWaiting) {
        throw new ProtocolError('unavailable', `${this.line.length} filter checks are already waiting; try again in a moment`);
      }
      await new Promise<void>((resolve, reject) => {
        const go = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const at = this.line.indexOf(go);
          if (at >= 0) this.line.splice(at, 1);
          reject(new ProtocolError('cancelled', 'the filter check was cancelled while it waited'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.line.push(go);
      });
    }
    try {
      return await task();
    } finally {
      const next = this.line.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Every `tcpdump -d` of this helper goes through this one. */
export const filterChecks = new TaskQueue();
