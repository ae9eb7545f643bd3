import type { HelperConnection } from './helper-connection.js';

/** Restart delays after a crash: 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}

/** A helper that stayed up this long was healthy: the next crash starts the backoff over. */
export const STABLE_MS = 60_000;

export interface SupervisorEvents {
  /** Raw text from the current helper. */
  onText(text: string): void;
  /** The helper died on its own; `reason` says why and when it comes back. */
  onCrash(reason: string): void;
  /** Another helper took over (adopt): the page must start a new session with it. */
  onSwitch?(reason: string): void;
}

/**
 * Keeps one helper running for the app: restarts it with backoff when it dies on its
 * own, restarts it at once on request (a fresh page gets a fresh session), and ends it
 * for good on quit. Text from a helper that is no longer current is dropped.
 */
export class HelperSupervisor {
  private current: HelperConnection | null = null;
  private generation = 0;
  private attempt = 0;
  private startedAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly launch: () => HelperConnection,
    private readonly events: SupervisorEvents,
    private readonly now: () => number = Date.now,
  ) {}

  get running(): boolean {
    return this.current !== null;
  }

  start(): void {
    if (this.stopped || this.current) return;
    this.cancelTimer();
    this.attach(this.launch());
  }

  /**
   * Replaces the running helper with one started elsewhere (the privileged helper once it has
   * connected, while this unprivileged one kept the window alive through the system prompt).
   */
  adopt(conn: HelperConnection, reason: string): void {
    if (this.stopped) {
      void conn.close();
      return;
    }
    const old = this.detach();
    this.cancelTimer();
    this.attempt = 0;
    this.attach(conn);
    this.events.onSwitch?.(reason);
    void old?.close();
  }

  private attach(conn: HelperConnection): void {
    const gen = ++this.generation;
    this.current = conn;
    this.startedAt = this.now();
    conn.onText((text) => {
      if (gen === this.generation) this.events.onText(text);
    });
    conn.onClose((reason) => this.onClosed(gen, reason, conn.fellBack === true));
  }

  send(text: string): boolean {
    if (!this.current) return false;
    this.current.send(text);
    return true;
  }

  /** Replaces the running helper with a fresh one, without a crash report. */
  async restart(): Promise<void> {
    const old = this.detach();
    this.attempt = 0;
    this.start();
    await old?.close();
  }

  /** Ends the helper for good (app quit). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer();
    await this.detach()?.close();
  }

  private detach(): HelperConnection | null {
    const old = this.current;
    this.current = null;
    this.generation++;
    return old;
  }

  private onClosed(gen: number, reason: string, fellBack: boolean): void {
    if (gen !== this.generation || this.stopped) return;
    this.current = null;
    if (fellBack) {
      // No privileges (refused, no pkexec): not a crash — the launcher now starts the
      // unprivileged helper, at once and without backoff; the page hears why.
      this.events.onCrash(`${reason}; continuing without privileges`);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, 0);
      return;
    }
    if (this.now() - this.startedAt >= STABLE_MS) this.attempt = 0;
    const delay = backoffMs(this.attempt++);
    this.events.onCrash(`${reason}; restarting it in ${Math.round(delay / 1000)} s`);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
