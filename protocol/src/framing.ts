/** JSON lines framing (DESIGN §2): one message per line, at most 1 MiB a line. */
export const MAX_LINE_BYTES = 1024 * 1024;

export class LineTooLongError extends Error {
  constructor() {
    super(`a message line exceeded ${MAX_LINE_BYTES} bytes`);
    this.name = 'LineTooLongError';
  }
}

export function encodeLine(message: unknown): string {
  return JSON.stringify(message) + '\n';
}

/**
 * Splits a text stream into lines. Chunks may cut lines anywhere; an over-long line is
 * dropped whole (reported once through `onOverflow`) and reading resumes at the next one.
 */
export class LineDecoder {
  private buffer = '';
  private skipping = false;
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (e: LineTooLongError) => void = () => {},
    private readonly maxChars = MAX_LINE_BYTES,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        this.buffer = '';
        continue;
      }
      const line = this.buffer + piece;
      this.buffer = '';
      if (line.length > this.maxChars) {
        this.onOverflow(new LineTooLongError());
        continue;
      }
      if (line.trim() !== '') this.onLine(line);
    }
    if (this.skipping) return;
    this.buffer += chunk.slice(start);
    if (this.buffer.length > this.maxChars) {
      this.buffer = '';
      this.skipping = true;
      this.onOverflow(new LineTooLongError());
    }
  }
}
