/** A helper line that is a stream's data, recognised without parsing it (the bulk of the traffic). */
const STREAM_DATA = /^\{"stream":\d+,"seq":/;

/**
 * What one page has open at the helper: its requests still unanswered and its streams still
 * running, and the helper's `init` line. A reloaded page can then take over a helper that must
 * not be restarted (the privileged one: a restart would mean the system prompt again) — the old
 * page's requests are cancelled and, once all have ended, the new page is given the same init.
 */
export class PageSession {
  private readonly open = new Set<number | string>();
  private init: string | null = null;

  /** A request or cancel the page sent (already validated). */
  fromPage(msg: { id: number | string; method: string } | { cancel: { id: number | string } }): void {
    if ('method' in msg) this.open.add(msg.id);
  }

  /** One whole line from the helper. */
  fromHelper(line: string): void {
    if (STREAM_DATA.test(line)) return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { init?: unknown; id?: number | string; result?: { stream?: unknown }; stream?: number | string; end?: unknown };
    if (m.init !== undefined && this.init === null) this.init = line;
    else if (m.id !== undefined) {
      // A stream stays open after its `{id, result: {stream}}`; anything else answers the request.
      if (!(m.result && typeof m.result === 'object' && 'stream' in m.result)) this.open.delete(m.id);
    } else if (m.stream !== undefined && m.end !== undefined) this.open.delete(m.stream);
  }

  get initLine(): string | null {
    return this.init;
  }

  /** Ids the page still has open (requests unanswered, streams running). */
  get openIds(): (number | string)[] {
    return [...this.open];
  }

  /** The helper is the same, the page is new: forget the page's ids, keep the init. */
  nextPage(): void {
    this.open.clear();
  }
}
