import { LineDecoder, encodeLine } from '../protocol/src/framing.js';
import { checkClientLine } from './client-line.js';
import { PageSession } from './page-session.js';

/**
 * One session of the local helper core as the hosts process sees it on fd 3: the core's lines
 * (whole, so a half line of a core that is gone is never glued to the next one's), its init (a
 * hosts process started again while the core lives gets it replayed) and what the hosts process
 * has open there (cancelled when it dies, so the core runs no stream for nobody).
 */
export class CoreSession {
  readonly opened = new PageSession();
  private lines: string[] = [];
  private partial = false;
  private readonly decoder: LineDecoder;

  constructor(log: (line: string) => void) {
    this.decoder = new LineDecoder(
      (l) => this.lines.push(l),
      () => log('hosts: dropped an over-long line from the helper'),
    );
  }

  /** Raw text from the core → its whole lines, each newline-terminated, tracked. */
  push(text: string): string {
    this.decoder.push(text);
    this.partial = !text.endsWith('\n');
    const lines = this.lines;
    this.lines = [];
    for (const l of lines) this.opened.fromHelper(l);
    return lines.map((l) => `${l}\n`).join('');
  }

  /**
   * A line the hosts process wrote on fd 3, for the core: checked like the page's (ipc.ts) and
   * re-encoded, or why it is dropped. The root helper validates too; this keeps a broken or
   * subverted user process from reaching it with anything but requests and cancels.
   */
  fromHostsProcess(line: string): { line: string } | { drop: string } {
    const checked = checkClientLine(line, 'on fd 3');
    if ('drop' in checked) return checked;
    this.opened.fromPage(checked.msg);
    return { line: encodeLine(checked.msg) };
  }

  /** Whether half a line of the core waits in the decoder (it cannot be handed on whole). */
  get midLine(): boolean {
    return this.partial;
  }

  get initLine(): string | null {
    return this.opened.initLine;
  }
}
