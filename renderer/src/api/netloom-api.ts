import { HelperClient } from '../../../protocol/src/index.js';
import type { NetloomBridge, Transport } from '../../../protocol/src/index.js';
import { bridgeTransport } from './bridge-transport.js';
import { browserToken } from './browser-token.js';
import { webSocketTransport } from './websocket-transport.js';

/** The one interface components use (DESIGN §1): they never know which door they came through. */
export interface NetloomApi {
  client: HelperClient;
  mode: 'electron' | 'browser';
}

declare global {
  interface Window {
    netloom?: NetloomBridge;
  }
}

/** The WebSocket address of `netloom serve`, or null when the page has no token to show it. */
export function browserSocketUrl(loc: Location, storage: Storage, history: History): string | null {
  const token = browserToken(loc, storage, history);
  if (token === null) return null;
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/ws?token=${encodeURIComponent(token)}`;
}

/** Opens a fresh connection: a new transport and client each time (reconnects call it again). */
export function connectApi(): NetloomApi {
  const bridge = window.netloom;
  if (bridge) return { client: new HelperClient(bridgeTransport(bridge)), mode: 'electron' };
  const url = browserSocketUrl(window.location, window.sessionStorage, window.history);
  const transport: Transport = url === null ? closedTransport('this page was opened without its access token — open the address netloom serve printed') : webSocketTransport(url);
  return { client: new HelperClient(transport), mode: 'browser' };
}

function closedTransport(reason: string): Transport {
  return {
    send() {},
    onText() {},
    onClose(cb) {
      queueMicrotask(() => cb(reason));
    },
    close() {},
  };
}
