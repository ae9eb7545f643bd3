import type { z } from 'zod';
import type { RequestId, StreamEnd } from '../../protocol/src/messages.js';
import type { DataOf, MethodName, Methods, ResultOf, StreamMethodName } from '../../protocol/src/methods.js';
import type { ServerContext, Session } from '../server/context.js';

/** Params after validation by the method's zod schema. */
export type ValidParams<M extends MethodName> = z.output<(typeof Methods)[M]['params']>;

/** What every handler gets besides its params. */
export interface Call {
  /** Aborted by `cancel {id}` or when the connection closes. */
  signal: AbortSignal;
  ctx: ServerContext;
  /** The request's id (a stream's id too). */
  id: RequestId;
  /** What this connection owns (its captures). */
  session: Session;
}

/** A stream's outlet: `send` numbers the data; `congested` says the transport is backed up. */
export interface StreamSink<D> {
  send(data: D): void;
  congested(): boolean;
}

export interface RequestHandler<M extends MethodName> {
  kind: 'request';
  run(params: ValidParams<M>, call: Call): Promise<ResultOf<M>>;
}

/**
 * Runs until it is done (its returned end) or `call.signal` aborts (the server then
 * ends the stream with `cancelled`/`closed` itself). Throwing ends it with an error.
 */
export interface StreamHandler<M extends StreamMethodName> {
  kind: 'stream';
  /**
   * On `cancel` (not on a closed connection), let `run` finish for up to this many ms so its
   * last data goes out — a capture's final counts and end — before the stream ends.
   */
  finishOnCancelMs?: number;
  run(params: ValidParams<M>, call: Call, sink: StreamSink<DataOf<M>>): Promise<StreamEnd | void>;
}

export type HandlerFor<M extends MethodName> = M extends StreamMethodName ? StreamHandler<M> : RequestHandler<M>;

export type Handlers = { [M in MethodName]: HandlerFor<M> };
