import type { Transport } from '../../protocol/src/client.js';
import { encodeFramed, encodeLine, LineDecoder, PartAssembler } from '../../protocol/src/framing.js';
import { PartMessage, RequestId } from '../../protocol/src/messages.js';

/**
 * Several protocol connections over ONE line connection to the local helper core (issue 14, the
 * desktop app's `netloom hosts --stdio`: its core is fd 3, one connection main splices to the
 * root helper). The page door opens a direct core connection and, once a host is added, a second
 * one for the router's local client; each is a virtual connection here.
 *
 * Each virtual connection picks its own request ids, so the same id may be open on two of them:
 * every request goes to the core under a fresh wire id, and what comes back under a wire id goes
 * to the connection that asked, under its own id again — answers `{id,…}`, stream data
 * `{stream,seq,…}` (the bulk: rewritten without parsing the line), ends `{stream,end}`, and
 * messages sent as `{"part":…}` lines (joined, routed, framed again for the connection). A
 * mapping is forgotten with the final answer or the stream's end. The core's one init is held and
 * given to every connection as it opens. A connection closing cancels what it still has open.
 *
 * Bounded: MAX_VIRTUAL connections and MAX_OPEN_PER_CONNECTION open ids each (the core itself caps
 * lines at 1 MiB and captures per connection; one connection here holds them all for the core).
 */
export const MAX_VIRTUAL = 8;
export const MAX_OPEN_PER_CONNECTION = 1024;

/** A core line that is a stream's data, as the helper writes it (stream-sink.ts): `{"stream":N,"seq":`. */
const STREAM_DATA = /^\{"stream":(\d+),"seq":/;
const SEQ_KEY = ',"seq":';

interface Virtual {
  /** The connection's own request id → its wire id. */
  ids: Map<RequestId, number>;
  listeners: ((text: string) => void)[];
  closers: ((reason: string) => void)[];
  decoder: LineDecoder;
  closed: boolean;
}

type Msg = Record<string, unknown>;
const isObject = (v: unknown): v is Msg => typeof v === 'object' && v !== null && !Array.isArray(v);

export class CoreMux {
  private readonly conns = new Set<Virtual>();
  /** wire id → whose request it is. */
  private readonly wire = new Map<number, { conn: Virtual; id: RequestId }>();
  private nextWire = 1;
  private init: string | null = null;
  private coreOpen = true;
  private readonly parts: PartAssembler;
  private readonly closeListeners: ((reason: string) => void)[] = [];

  constructor(
    private readonly core: Transport,
    private readonly log: (line: string) => void = () => {},
    private readonly limits = { connections: MAX_VIRTUAL, openPerConnection: MAX_OPEN_PER_CONNECTION },
  ) {
    this.parts = new PartAssembler((why) => log(`netloom hosts: a message from the helper core was dropped: ${why}`));
    const lines = new LineDecoder(
      (line) => this.fromCore(line),
      () => log('netloom hosts: the helper core sent a line longer than 1 MiB; it was dropped'),
    );
    core.onText((t) => lines.push(t));
    core.onClose((reason) => this.coreClosed(reason));
  }

  /** Hears the core's connection end (every virtual connection has closed by then). */
  onClose(cb: (reason: string) => void): void {
    this.closeListeners.push(cb);
  }

  /** How many request ids are open on the core, over every connection (tests and logs). */
  get openOnCore(): number {
    return this.wire.size;
  }

  /** A new virtual connection to the core; throws when the core is gone or MAX_VIRTUAL are open. */
  open(): Transport {
    if (!this.coreOpen) throw new Error('the helper core is gone');
    if (this.conns.size >= this.limits.connections) throw new Error(`at most ${this.limits.connections} connections share the helper core`);
    const v: Virtual = { ids: new Map(), listeners: [], closers: [], decoder: new LineDecoder((l) => this.fromConn(v, l), () => this.answer(v, { id: null, error: { code: 'invalid', message: 'a message line was longer than 1 MiB and was dropped' } })), closed: false };
    this.conns.add(v);
    if (this.init !== null) this.deliver(v, this.init + '\n');
    return {
      send: (t) => {
        if (!v.closed) v.decoder.push(t);
      },
      onText: (cb) => void v.listeners.push(cb),
      onClose: (cb) => void v.closers.push(cb),
      close: () => this.closeConn(v, 'closed'),
    };
  }

  /** Asynchronous like a pipe: a handler never runs inside its caller's send. */
  private deliver(v: Virtual, text: string): void {
    queueMicrotask(() => {
      if (!v.closed) for (const cb of v.listeners) cb(text);
    });
  }

  private answer(v: Virtual, msg: unknown): void {
    this.deliver(v, encodeLine(msg));
  }

  private toCore(msg: unknown): void {
    if (this.coreOpen) this.core.send(encodeLine(msg));
  }

  /** One line a virtual connection sent: a request under a fresh wire id, or a cancel of one of its own. */
  private fromConn(v: Virtual, line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return this.answer(v, { id: null, error: { code: 'invalid', message: 'the message is not valid JSON' } });
    }
    if (!isObject(msg)) return this.answer(v, { id: null, error: { code: 'invalid', message: 'the message must be a JSON object' } });
    if ('cancel' in msg) {
      const id = RequestId.safeParse(isObject(msg.cancel) ? msg.cancel.id : undefined);
      if (!id.success) return this.answer(v, { id: null, error: { code: 'invalid', message: 'a cancel names the id of a request', path: 'cancel.id' } });
      const w = v.ids.get(id.data);
      // Nothing open under that id (already answered): nothing to cancel, as the helper itself does.
      if (w !== undefined) this.toCore({ cancel: { id: w } });
      return;
    }
    const id = RequestId.safeParse(msg.id);
    if (!id.success) return this.answer(v, { id: null, error: { code: 'invalid', message: 'a request needs an id: a number, or a string of 1 to 64 characters', path: 'id' } });
    if (v.ids.has(id.data)) return this.answer(v, { id: id.data, error: { code: 'invalid', message: `request id ${String(id.data)} is still in use`, path: 'id' } });
    if (v.ids.size >= this.limits.openPerConnection) return this.answer(v, { id: id.data, error: { code: 'unavailable', message: `at most ${this.limits.openPerConnection} requests and streams may be open at once on one connection: cancel one first` } });
    const w = this.nextWire++;
    this.wire.set(w, { conn: v, id: id.data });
    v.ids.set(id.data, w);
    this.toCore({ ...msg, id: w });
  }

  /** One whole line from the core (`joined`: a message joined from parts, which goes on as parts again). */
  private fromCore(line: string, joined = false): void {
    if (this.init === null) {
      if (!line.startsWith('{"init":')) return this.log('netloom hosts: the helper core spoke before its init; the line was dropped');
      this.init = line;
      for (const v of this.conns) this.deliver(v, line + '\n');
      return;
    }
    // The bulk: stream data keeps its bytes; only the id in front is swapped.
    const data = joined ? null : STREAM_DATA.exec(line);
    if (data !== null) {
      const to = this.wire.get(Number(data[1]));
      if (to !== undefined) this.deliver(to.conn, `{"stream":${JSON.stringify(to.id)}${line.slice(data[0].length - SEQ_KEY.length)}\n`);
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return this.log('netloom hosts: the helper core sent a line that is not JSON; it was dropped');
    }
    if (!isObject(msg)) return;
    if ('part' in msg) {
      const part = PartMessage.safeParse(msg);
      const whole = part.success ? this.parts.push(part.data.part) : null;
      if (whole !== null) this.fromCore(whole, true);
      return;
    }
    this.route(msg);
  }

  /** An answer or a stream's end (or a whole message joined from parts): to its connection, framed again. */
  private route(msg: Msg): void {
    if ('stream' in msg) {
      const w = msg.stream as number;
      const to = this.wire.get(w);
      if (to === undefined) return;
      if ('end' in msg) this.forget(w);
      return this.deliver(to.conn, encodeFramed({ ...msg, stream: to.id }));
    }
    if (!('id' in msg)) return this.log('netloom hosts: the helper core sent a message with no id; it was dropped');
    if (msg.id === null) {
      const error = isObject(msg.error) ? String(msg.error.message) : 'no reason given';
      return this.log(`netloom hosts: the helper core could not read a line it was sent (${error}); its answer has no id and was dropped`);
    }
    const w = msg.id as number;
    const to = this.wire.get(w);
    if (to === undefined) return;
    // `{id, result: {stream: id}}` opens a stream: the id stays open until the stream's end.
    const opened = isObject(msg.result) && msg.result.stream === w && Object.keys(msg.result).length === 1;
    if (!opened) this.forget(w);
    this.deliver(to.conn, encodeFramed({ ...msg, id: to.id, ...(opened ? { result: { stream: to.id } } : {}) }));
  }

  private forget(w: number): void {
    const to = this.wire.get(w);
    if (to === undefined) return;
    this.wire.delete(w);
    if (to.conn.ids.get(to.id) === w) to.conn.ids.delete(to.id);
  }

  private closeConn(v: Virtual, reason: string): void {
    if (v.closed) return;
    v.closed = true;
    this.conns.delete(v);
    // What it leaves open on the core ends there (late lines for these wire ids are dropped).
    for (const w of v.ids.values()) {
      this.toCore({ cancel: { id: w } });
      this.wire.delete(w);
    }
    v.ids.clear();
    for (const cb of v.closers) cb(reason);
  }

  private coreClosed(reason: string): void {
    if (!this.coreOpen) return;
    this.coreOpen = false;
    for (const v of [...this.conns]) this.closeConn(v, `the helper core is gone (${reason})`);
    for (const cb of this.closeListeners) cb(reason);
  }
}
