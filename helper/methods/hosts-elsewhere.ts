import { ProtocolError } from '../../protocol/src/errors.js';
import type { RequestHandler } from './handler.js';

/**
 * `hosts.*` (protocol/src/host-methods.ts) are the host router's, in front of this helper
 * (`netloom serve`, the desktop app's main process): a helper reached directly has no hosts to add.
 */
function elsewhere<M extends 'hosts.add' | 'hosts.remove' | 'hosts.list' | 'hosts.password'>(method: M): RequestHandler<M> {
  return {
    kind: 'request',
    run: () => Promise.reject(new ProtocolError('unavailable', `${method}: hosts are added in the app (browser mode or the desktop app), not on a helper reached directly`)),
  };
}

export const hostsAdd = elsewhere('hosts.add');
export const hostsRemove = elsewhere('hosts.remove');
export const hostsList = elsewhere('hosts.list');
export const hostsPassword = elsewhere('hosts.password');
