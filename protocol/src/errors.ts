import { z } from 'zod';

/** The closed set of error codes (DESIGN §2). Anything unexpected is `internal`. */
export const ERROR_CODES = [
  'invalid',
  'not_found',
  'conflict',
  'denied',
  'failed',
  'unavailable',
  'cancelled',
  'terminated',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ProtocolErrorBody = z.object({
  code: ErrorCode,
  /** A sentence a person can act on. */
  message: z.string(),
  /** Dotted path of the offending field, for `invalid`. */
  path: z.string().optional(),
  /** Exit status, stderr tail, failing step… */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ProtocolErrorBody = z.infer<typeof ProtocolErrorBody>;

/** An error that crosses the wire as data: code, sentence, details. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, opts: { path?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.path = opts.path;
    this.details = opts.details;
  }
  toBody(): ProtocolErrorBody {
    const body: ProtocolErrorBody = { code: this.code, message: this.message };
    if (this.path !== undefined) body.path = this.path;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
  static from(body: ProtocolErrorBody): ProtocolError {
    return new ProtocolError(body.code, body.message, { path: body.path, details: body.details });
  }
}

/**
 * Turns a zod failure into `invalid` naming the first offending field. An unknown key is named
 * by its own path (`params.intents.0.colour`, `zz`), not reported against the object holding it.
 */
export function invalidFromZod(error: z.ZodError, prefix = ''): ProtocolError {
  const issue = error.issues[0];
  const segments = issue ? issue.path.map(String) : [];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  if (unknownKey !== undefined) segments.push(unknownKey);
  const path = [prefix, ...segments].filter((s) => s !== '').join('.');
  const what = path === '' ? 'the message' : `field "${path}"`;
  const why = unknownKey !== undefined ? 'is not a known field' : issue ? issue.message : 'is not valid';
  return new ProtocolError('invalid', `${what}: ${why}`, path === '' ? {} : { path });
}

/**
 * Error paths on the wire (DESIGN §2) are one form: from the message's root. A request's own
 * fields are `id` and `method`; everything about its params — the schema's checks and the
 * handler's (an intent the compiler refuses, a filter tcpdump refuses) — is under `params.`:
 * `params.intents.0.name`. The field inside the params a form shows, or null when the error is
 * about the message itself.
 */
export const PARAMS_PATH = 'params';

export function paramsField(path: string | undefined): string | null {
  if (path === undefined) return null;
  if (path === PARAMS_PATH) return '';
  return path.startsWith(`${PARAMS_PATH}.`) ? path.slice(PARAMS_PATH.length + 1) : null;
}

/** A handler's error, whose path names a field of its params, as it goes on the wire. */
export function underParams(e: ProtocolError): ProtocolError {
  if (e.path === undefined || e.path === PARAMS_PATH || e.path.startsWith(`${PARAMS_PATH}.`)) return e;
  return new ProtocolError(e.code, e.message, { path: `${PARAMS_PATH}.${e.path}`, details: e.details });
}
