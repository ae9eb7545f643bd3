import type { NetloomApi } from '../api/netloom-api.js';

/**
 * Remembers the connection live-topology opened last, so the traffic views (counters,
 * captures) talk to the same helper and follow it across reconnects.
 */
export interface ApiHolder {
  /** Wraps a connect function: every connection it opens becomes the current one. */
  connect(open: () => NetloomApi): () => NetloomApi;
  current(): NetloomApi | null;
}

export function createApiHolder(): ApiHolder {
  let current: NetloomApi | null = null;
  return {
    connect: (open) => () => {
      current = open();
      return current;
    },
    current: () => current,
  };
}
