import { HelperClient } from '../../../protocol/src/index.js';
import type { NetloomBridge } from '../../../protocol/src/index.js';
import { bridgeTransport } from './bridge-transport.js';
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

/**
 * The WebSocket address of `netloom serve`. The page never sees a secret: the printed URL's
 * one-time token was exchanged for an HttpOnly session cookie before this page loaded, and the
 * browser sends that cookie with the upgrade.
 */
export function browserSocketUrl(loc: Location): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/ws`;
}

/** Opens a fresh connection: a new transport and client each time (reconnects call it again). */
export function connectApi(): NetloomApi {
  const bridge = window.netloom;
  if (bridge) return { client: new HelperClient(bridgeTransport(bridge)), mode: 'electron' };
  return { client: new HelperClient(webSocketTransport(browserSocketUrl(window.location))), mode: 'browser' };
}
