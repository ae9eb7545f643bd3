import { z } from 'zod';
import { ErrorCode, ProtocolErrorBody } from './errors.js';

/** Wire messages (DESIGN §2): JSON lines; the helper speaks first with `init`. */
export const PROTOCOL_VERSION = '1';

export const RequestId = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]);
export type RequestId = z.infer<typeof RequestId>;

export const InitMessage = z.object({
  init: z.object({ version: z.string(), capabilities: z.array(z.string()) }),
});
export type InitMessage = z.infer<typeof InitMessage>;

export const RequestMessage = z.object({
  id: RequestId,
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export type RequestMessage = z.infer<typeof RequestMessage>;

export const CancelMessage = z.object({ cancel: z.object({ id: RequestId }) });
export type CancelMessage = z.infer<typeof CancelMessage>;

export const ResultMessage = z.object({ id: RequestId, result: z.unknown() });
export const ErrorMessage = z.object({ id: RequestId.nullable(), error: ProtocolErrorBody });
export type ErrorMessage = z.infer<typeof ErrorMessage>;

export const StreamDataMessage = z.object({ stream: RequestId, seq: z.number().int().nonnegative(), data: z.unknown() });
export const StreamEnd = z.object({ reason: z.string(), code: ErrorCode.optional(), message: z.string().optional() });
export type StreamEnd = z.infer<typeof StreamEnd>;
export const StreamEndMessage = z.object({ stream: RequestId, end: StreamEnd });

/** One part of a message too long for a line (framing.ts); only the helper sends them. */
export const PartMessage = z.object({ part: z.object({ id: z.string().min(1).max(32), index: z.number().int().nonnegative(), count: z.number().int().positive(), text: z.string() }) });

/** What a client may send. */
export const ClientMessage = z.union([CancelMessage, RequestMessage]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** What the helper may send. */
export const HelperMessage = z.union([
  InitMessage,
  ResultMessage.strict(),
  ErrorMessage,
  StreamDataMessage,
  StreamEndMessage,
]);
export type HelperMessage = z.infer<typeof HelperMessage>;

/** The result of a request that opened a stream. */
export const StreamOpened = z.object({ stream: RequestId });
