/**
 * The one open question "sudo on HOST wants your password" (issue 14): asked by the session when
 * sudo there cannot run without one, answered by the page (`hosts.password`). The password goes
 * straight to whoever asked and this holds no reference to it afterwards; a question nobody
 * answers in `timeoutMs` counts as declined.
 */
export class SudoPrompt {
  private waiting: ((password: string | null) => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onAsk: (asking: boolean) => void,
    private readonly timeoutMs = 5 * 60_000,
  ) {}

  get asking(): boolean {
    return this.waiting !== null;
  }

  /** What the session calls (BootstrapOptions.askPassword): resolves with the answer, null if declined. */
  ask(): Promise<string | null> {
    this.settle(null);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.timer = setTimeout(() => this.settle(null), this.timeoutMs);
      this.timer.unref?.();
      this.onAsk(true);
    });
  }

  /** The page's answer; false when nothing was asked. */
  answer(password: string | null): boolean {
    if (this.waiting === null) return false;
    this.settle(password);
    return true;
  }

  private settle(password: string | null): void {
    const resolve = this.waiting;
    if (resolve === null) return;
    this.waiting = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.onAsk(false);
    resolve(password);
  }
}
