/**
 * One running helper, however it was started (DESIGN §8): a child on stdio pipes today;
 * a root helper that connected back over a Unix socket after the pkexec prompt later.
 * Main only ever sees this interface.
 */
export interface HelperConnection {
  /** Writes raw text (whole JSON lines) to the helper; ignored once closed. */
  send(text: string): void;
  /** Raw text from the helper; may cut or join lines anywhere. */
  onText(cb: (text: string) => void): void;
  /** Called once, with a sentence saying why the helper is gone. */
  onClose(cb: (reason: string) => void): void;
  /**
   * True once this helper could not get privileges (prompt refused, no pkexec): its close
   * is no crash, and the supervisor starts the unprivileged helper at once.
   */
  readonly fellBack?: boolean;
  /** Ends the helper (input closed, then signals); resolves when it is gone. */
  close(): Promise<void>;
}
