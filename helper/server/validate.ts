import { invalidFromZod, ProtocolError } from '../../protocol/src/errors.js';
import { CancelMessage, RequestId, RequestMessage } from '../../protocol/src/messages.js';
import { isMethodName, Methods } from '../../protocol/src/methods.js';
import type { MethodName } from '../../protocol/src/methods.js';

export type Incoming =
  | { kind: 'cancel'; id: RequestId }
  | { kind: 'request'; id: RequestId; method: MethodName; params: unknown };

/** The request id, if the message carries a usable one, so even a rejection can name it. */
export function idOf(raw: unknown): RequestId | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const id = RequestId.safeParse(raw.id);
  return id.success ? id.data : null;
}

/**
 * Every check a line passes before anything runs (DESIGN §2): JSON, message shape,
 * a known method, and that method's params schema. Throws `invalid` naming the field.
 */
export function validateLine(line: string): Incoming {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new ProtocolError('invalid', 'the message is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ProtocolError('invalid', 'the message must be a JSON object');
  }
  // Pick the branch by its key, so a bad field is reported by its own path rather than
  // as "matches no member of the union".
  if ('cancel' in raw) {
    const c = CancelMessage.strict().safeParse(raw);
    if (!c.success) throw invalidFromZod(c.error);
    return { kind: 'cancel', id: c.data.cancel.id };
  }
  const r = RequestMessage.strict().safeParse(raw);
  if (!r.success) throw invalidFromZod(r.error);
  const { id, method } = r.data;
  if (!isMethodName(method)) {
    throw new ProtocolError('invalid', `there is no method "${method}"`, { path: 'method' });
  }
  const params = Methods[method].params.safeParse(r.data.params ?? {});
  if (!params.success) throw invalidFromZod(params.error, 'params');
  return { kind: 'request', id, method, params: params.data };
}
