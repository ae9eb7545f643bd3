import type { HostsProcess } from '../../../electron/hosts-process.js';

/** A `netloom hosts --stdio` a test drives: what it was given on stdin and fd 3, what it says. */
export class FakeHostsProcess implements HostsProcess {
  stdin: string[] = [];
  fd3: string[] = [];
  closed = false;
  private out: ((t: string) => void)[] = [];
  private core: ((t: string) => void)[] = [];
  private closeCbs: ((r: string, info: { spoke: boolean; stderrHead: string }) => void)[] = [];
  private spoke = false;
  toStdin(t: string) {
    if (this.closed) return false;
    this.stdin.push(t);
    return true;
  }
  toCore(t: string) {
    if (this.closed) return false;
    this.fd3.push(t);
    return true;
  }
  onStdout(cb: (t: string) => void) {
    this.out.push(cb);
  }
  onCoreText(cb: (t: string) => void) {
    this.core.push(cb);
  }
  onClose(cb: (r: string, info: { spoke: boolean; stderrHead: string }) => void) {
    this.closeCbs.push(cb);
  }
  async close() {
    this.exit('the hosts process exited with code 0');
  }
  /** Writes to its stdout (for the page). */
  say(t: string) {
    this.spoke = true;
    for (const cb of this.out) cb(t);
  }
  /** Writes to fd 3 (for the core). */
  ask(t: string) {
    for (const cb of this.core) cb(t);
  }
  exit(reason: string, stderrHead = '') {
    this.closed = true;
    for (const cb of this.closeCbs.splice(0)) cb(reason, { spoke: this.spoke, stderrHead });
  }
}
