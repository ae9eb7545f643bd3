import { ProtocolError, underParams } from '../../protocol/src/errors.js';
import { encodeFramed, LineDecoder } from '../../protocol/src/framing.js';
import type { ErrorMessage, RequestId, StreamEnd } from '../../protocol/src/messages.js';
import { PROTOCOL_VERSION } from '../../protocol/src/messages.js';
import { Methods } from '../../protocol/src/methods.js';
import type { MethodName } from '../../protocol/src/methods.js';
import type { Call, Handlers, RequestHandler, StreamHandler } from '../methods/handler.js';
import { HANDLERS } from '../methods/registry.js';
import { CaptureRegistry } from './capture-registry.js';
import type { ServerContext, Session } from './context.js';
import { isCongested } from './line-transport.js';
import type { LineTransport } from './line-transport.js';
import { OpenStream } from './stream-sink.js';
import { idOf, validateLine } from './validate.js';
import type { Incoming } from './validate.js';

export interface ConnectionHandle {
  /** Resolves when the transport has closed and everything it opened was aborted. */
  closed: Promise<void>;
}

function errorBody(e: unknown, ctx: ServerContext, what: string): ErrorMessage['error'] {
  if (e instanceof ProtocolError) return e.toBody();
  // Details of an unexpected failure stay in the helper's log, not on the wire.
  ctx.log(`netloom helper: ${what} failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { code: 'internal', message: `the helper hit an unexpected error while handling ${what}; its log has the details` };
}

/**
 * One client connection (DESIGN §2): the helper speaks first with `init`, validates every
 * line before acting, gives each request an AbortController that `cancel` and the
 * connection's close abort, and frames streams with seq and a single end.
 */
export function serveConnection(conn: LineTransport, ctx: ServerContext, handlers: Handlers = HANDLERS): ConnectionHandle {
  const active = new Map<RequestId, AbortController>();
  const session: Session = { captures: new CaptureRegistry() };
  let open = true;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  const send = (msg: unknown): void => {
    if (open) conn.send(encodeFramed(msg));
  };
  const reject = (id: RequestId | null, e: unknown, what: string): void => send({ id, error: errorBody(e, ctx, what) });

  const decoder = new LineDecoder(
    (line) => onLine(line),
    () => reject(null, new ProtocolError('invalid', 'a message line was longer than 1 MiB and was dropped'), 'a line'),
  );

  function onLine(line: string): void {
    let msg: Incoming;
    try {
      msg = validateLine(line);
    } catch (e) {
      let id: RequestId | null = null;
      try {
        id = idOf(JSON.parse(line));
      } catch {
        id = null;
      }
      return reject(id, e, 'a message');
    }
    if (msg.kind === 'cancel') {
      active.get(msg.id)?.abort();
      return;
    }
    if (active.has(msg.id)) {
      return reject(msg.id, new ProtocolError('invalid', `request id ${String(msg.id)} is still in use`, { path: 'id' }), msg.method);
    }
    const controller = new AbortController();
    active.set(msg.id, controller);
    const call: Call = { signal: controller.signal, ctx, id: msg.id, session };
    const done = (): void => {
      active.delete(msg.id);
    };
    void dispatch(msg.id, msg.method, msg.params, call).finally(done);
  }

  async function dispatch(id: RequestId, method: MethodName, params: unknown, call: Call): Promise<void> {
    const handler = handlers[method];
    if (handler.kind === 'request') {
      try {
        const run = (handler as RequestHandler<MethodName>).run as (p: unknown, c: Call) => Promise<unknown>;
        const result = await run(params, call);
        if (call.signal.aborted) throw new ProtocolError('cancelled', `${method} was cancelled`);
        send({ id, result });
      } catch (e) {
        const err = call.signal.aborted && !(e instanceof ProtocolError) ? new ProtocolError('cancelled', `${method} was cancelled`) : e;
        // A handler names fields of its params; on the wire paths start at the message (`params.…`).
        reject(id, err instanceof ProtocolError ? underParams(err) : err, method);
      }
      return;
    }
    const stream = new OpenStream<unknown>(
      (t) => open && conn.send(t),
      () => isCongested(conn),
      id,
    );
    send({ id, result: { stream: id } });
    const graceMs = (handler as StreamHandler<'topology.watch'>).finishOnCancelMs;
    let grace: ReturnType<typeof setTimeout> | null = null;
    const cancelled = (): void => stream.end(open ? { reason: 'cancelled', code: 'cancelled' } : { reason: 'closed' });
    const onAbort = (): void => {
      if (open && graceMs !== undefined) grace = setTimeout(cancelled, graceMs);
      else cancelled();
    };
    call.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const run = (handler as StreamHandler<'topology.watch'>).run as (p: unknown, c: Call, s: OpenStream<unknown>) => Promise<StreamEnd | void>;
      const end = await run(params, call, stream);
      stream.end(end ?? { reason: 'done' });
    } catch (e) {
      if (!call.signal.aborted) {
        const body = errorBody(e, ctx, method);
        stream.end({ reason: 'error', code: body.code, message: body.message });
      } else cancelled();
    } finally {
      if (grace) clearTimeout(grace);
      call.signal.removeEventListener('abort', onAbort);
    }
  }

  conn.onText((t) => decoder.push(t));
  conn.onClose(() => {
    if (!open) return;
    open = false;
    for (const c of active.values()) c.abort();
    active.clear();
    session.captures.dropAll();
    resolveClosed();
  });
  send({ init: { version: PROTOCOL_VERSION, capabilities: Object.keys(Methods) } });
  return { closed };
}
