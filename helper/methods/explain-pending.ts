import { ProtocolError } from '../../protocol/src/errors.js';
import type { RequestHandler } from './handler.js';

/** Placeholder until the explain engine lands: answers `unavailable`, runs nothing. */
const notYet = (): never => {
  throw new ProtocolError('unavailable', 'explain is being built');
};
export const explainPath: RequestHandler<'explain.path'> = { kind: 'request', run: async () => notYet() };
export const explainHealth: RequestHandler<'explain.health'> = { kind: 'request', run: async () => notYet() };
export const explainProbe: RequestHandler<'explain.probe'> = { kind: 'request', run: async () => notYet() };
