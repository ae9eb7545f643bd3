import type { HelperConnection } from '../../../electron/helper-connection.js';

/** A helper connection a test drives: emit text, close it, see what it was sent. */
export class FakeConnection implements HelperConnection {
  sent: string[] = [];
  closed = false;
  private text: ((t: string) => void)[] = [];
  private closeCbs: ((r: string) => void)[] = [];
  send(t: string) {
    this.sent.push(t);
  }
  onText(cb: (t: string) => void) {
    this.text.push(cb);
  }
  onClose(cb: (r: string) => void) {
    this.closeCbs.push(cb);
  }
  async close() {
    this.closed = true;
    this.crash('closed');
  }
  emit(t: string) {
    for (const cb of this.text) cb(t);
  }
  crash(reason: string) {
    for (const cb of this.closeCbs.splice(0)) cb(reason);
  }
}
