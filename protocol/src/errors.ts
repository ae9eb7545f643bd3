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

/** Turns a zod failure into `invalid` naming the first offending field. */
export function invalidFromZod(error: z.ZodError, prefix = ''): ProtocolError {
  const issue = error.issues[0];
  const segments = issue ? issue.path.map(String) : [];
  const path = [prefix, ...segments].filter((s) => s !== '').join('.');
  const what = path === '' ? 'the message' : `field "${path}"`;
  const why = issue ? issue.message : 'is not valid';
  return new ProtocolError('invalid', `${what}: ${why}`, path === '' ? {} : { path });
}
