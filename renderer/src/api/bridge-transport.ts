import type { NetloomBridge, Transport } from '../../../protocol/src/index.js';

/** The preload's `window.netloom` as a protocol Transport. Closing unsubscribes this page's listeners. */
export function bridgeTransport(bridge: NetloomBridge): Transport {
  const offs: (() => void)[] = [];
  return {
    send: (text) => bridge.send(text),
    onText: (cb) => {
      offs.push(bridge.onText(cb));
    },
    onClose: (cb) => {
      offs.push(bridge.onClose(cb));
    },
    close: () => {
      for (const off of offs.splice(0)) off();
    },
  };
}
