import { ProtocolError } from './errors.js';
import { LineDecoder, PartAssembler, encodeLine } from './framing.js';
import { HelperMessage, InitMessage, PartMessage } from './messages.js';
import type { RequestId, StreamEnd } from './messages.js';
import { Methods } from './methods.js';
import type { DataOf, MethodName, ParamsOf, ResultOf, StreamMethodName } from './methods.js';

/** Anything that carries text lines both ways: a pipe, a Unix socket, a WebSocket. */
export interface Transport {
  send(text: string): void;
  /** Receives raw text; may cut or join lines anywhere. */
  onText(cb: (text: string) => void): void;
  onClose(cb: (reason: string) => void): void;
  close(): void;
}

/** The part of AbortSignal the client uses (protocol/ has no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

interface Pending {
  method: MethodName;
  resolve: (v: unknown) => void;
  reject: (e: ProtocolError) => void;
}

interface OpenStream {
  method: StreamMethodName;
  onData: (d: unknown, seq: number) => void;
  onEnd: (end: StreamEnd) => void;
  lastSeq: number;
}

export interface StreamHandle {
  readonly id: RequestId;
  cancel(): void;
}

/**
 * The client half of the protocol, with no I/O of its own: the same code serves the
 * renderer (WebSocket or preload), electron main (socket) and tests (in memory).
 */
export class HelperClient {
  readonly ready: Promise<InitMessage['init']>;
  private resolveReady!: (init: InitMessage['init']) => void;
  private rejectReady!: (e: ProtocolError) => void;
  private nextId = 1;
  private readonly pending = new Map<RequestId, Pending>();
  /** A message longer than a line arrives in parts (framing.ts). */
  private readonly parts = new PartAssembler();
  private readonly streams = new Map<RequestId, OpenStream>();
  private closed: string | null = null;
  private readonly closeListeners: ((reason: string) => void)[] = [];

  constructor(private readonly transport: Transport) {
    this.ready = new Promise((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    this.ready.catch(() => {});
    const decoder = new LineDecoder((line) => this.onLine(line));
    transport.onText((t) => decoder.push(t));
    transport.onClose((reason) => this.terminate(reason));
  }

  onClose(cb: (reason: string) => void): void {
    this.closeListeners.push(cb);
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>, signal?: AbortSignalLike): Promise<ResultOf<M>> {
    await this.ready;
    if (this.closed !== null) throw new ProtocolError('terminated', `the helper is gone (${this.closed})`);
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
    });
    signal?.addEventListener('abort', () => this.transport.send(encodeLine({ cancel: { id } })), { once: true });
    this.transport.send(encodeLine({ id, method, params }));
    return (await result) as ResultOf<M>;
  }

  /** Opens a stream; `onData` receives each validated `data`, `onEnd` the end reason once. */
  watch<M extends StreamMethodName>(
    method: M,
    params: ParamsOf<M>,
    onData: (data: DataOf<M>) => void,
    onEnd: (end: StreamEnd) => void,
  ): StreamHandle {
    const id = this.nextId++;
    this.streams.set(id, { method, onData: onData as (d: unknown) => void, onEnd, lastSeq: -1 });
    void this.ready.then(
      () => {
        if (this.closed !== null) return this.endStream(id, { reason: 'terminated', code: 'terminated' });
        this.pending.set(id, {
          method,
          resolve: () => {},
          reject: (e) => this.endStream(id, { reason: 'error', code: e.code, message: e.message }),
        });
        this.transport.send(encodeLine({ id, method, params }));
      },
      (e: ProtocolError) => this.endStream(id, { reason: 'terminated', code: 'terminated', message: e.message }),
    );
    return {
      id,
      cancel: () => {
        if (this.streams.has(id) && this.closed === null) this.transport.send(encodeLine({ cancel: { id } }));
      },
    };
  }

  close(): void {
    this.transport.close();
    this.terminate('closed by client');
  }

  private endStream(id: RequestId, end: StreamEnd): void {
    const s = this.streams.get(id);
    if (!s) return;
    this.streams.delete(id);
    s.onEnd(end);
  }

  private terminate(reason: string): void {
    if (this.closed !== null) return;
    this.closed = reason;
    const err = new ProtocolError('terminated', `the helper is gone (${reason})`);
    this.rejectReady(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const id of [...this.streams.keys()]) this.endStream(id, { reason: 'terminated', code: 'terminated', message: err.message });
    for (const cb of this.closeListeners) cb(reason);
  }

  private onLine(line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof raw === 'object' && raw !== null && 'part' in raw) {
      const part = PartMessage.safeParse(raw);
      const whole = part.success ? this.parts.push(part.data.part) : null;
      if (whole !== null) this.onLine(whole);
      return;
    }
    const parsed = HelperMessage.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    if ('init' in msg) return this.resolveReady(msg.init);
    if ('end' in msg) return this.endStream(msg.stream, msg.end);
    if ('seq' in msg) {
      const s = this.streams.get(msg.stream);
      if (!s) return;
      const schema = Methods[s.method].data;
      const data = schema.safeParse(msg.data);
      if (!data.success) return this.endStream(msg.stream, { reason: 'error', code: 'internal', message: 'the helper sent data that does not match the protocol' });
      s.lastSeq = msg.seq;
      s.onData(data.data, msg.seq);
      return;
    }
    if (msg.id === null) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if ('error' in msg) return p.reject(ProtocolError.from(msg.error));
    if (this.streams.has(msg.id)) return p.resolve(msg.result);
    const result = Methods[p.method].result.safeParse(msg.result);
    if (result.success) p.resolve(result.data);
    else p.reject(new ProtocolError('internal', `the helper's answer to ${p.method} does not match the protocol`));
  }
}
