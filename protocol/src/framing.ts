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
 * A message too long for one line (a snapshot of a host with thousands of rules) travels as
 * consecutive `{"part": {id, index, count, text}}` lines, each under the line limit; the client
 * joins them (PartAssembler) and reads the whole as one message. Only the helper sends parts.
 * 128 Ki characters of JSON text stay under 1 MiB even escaped and in 4-byte UTF-8.
 */
export const PART_CHARS = 128 * 1024;
/** The most a client joins into one message. */
export const MAX_MESSAGE_CHARS = 64 * 1024 * 1024;

let nextPartId = 0;

/** One message as one line, or as the parts of one (contiguous: a single write keeps them together). */
export function encodeFramed(message: unknown): string {
  const text = JSON.stringify(message);
  if (text.length <= PART_CHARS) return text + '\n';
  const id = `m${++nextPartId}`;
  const count = Math.ceil(text.length / PART_CHARS);
  let out = '';
  for (let index = 0; index < count; index++) out += encodeLine({ part: { id, index, count, text: text.slice(index * PART_CHARS, (index + 1) * PART_CHARS) } });
  return out;
}

export interface Part {
  id: string;
  index: number;
  count: number;
  text: string;
}

/** Joins parts back into the message's text; bounded (one message at a time, MAX_MESSAGE_CHARS). */
export class PartAssembler {
  private cur: { id: string; count: number; texts: string[]; chars: number } | null = null;
  constructor(private readonly onDrop: (why: string) => void = () => {}) {}

  /** The whole message's text once its last part came, else null. */
  push(p: Part): string | null {
    if (p.count < 1 || p.count > Math.ceil(MAX_MESSAGE_CHARS / PART_CHARS) || p.index < 0 || p.index >= p.count) {
      this.onDrop('a message part out of bounds');
      return null;
    }
    if (this.cur !== null && (this.cur.id !== p.id || this.cur.texts.length !== p.index)) {
      this.onDrop(`message ${this.cur.id} ended before its last part`);
      this.cur = null;
    }
    if (this.cur === null) {
      if (p.index !== 0) {
        this.onDrop(`message ${p.id} began in the middle`);
        return null;
      }
      this.cur = { id: p.id, count: p.count, texts: [], chars: 0 };
    }
    this.cur.texts.push(p.text);
    this.cur.chars += p.text.length;
    if (this.cur.chars > MAX_MESSAGE_CHARS) {
      this.onDrop(`message ${p.id} is longer than ${MAX_MESSAGE_CHARS} characters`);
      this.cur = null;
      return null;
    }
    if (this.cur.texts.length < this.cur.count) return null;
    const whole = this.cur.texts.join('');
    this.cur = null;
    return whole;
  }
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
