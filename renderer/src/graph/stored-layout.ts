import type { Layout } from './layout-types.js';

const PREFIX = 'netloom.layout.';

/** Node positions per host (by hostname), so a dragged picture comes back after a restart. */
export function loadLayout(storage: Storage, hostname: string): Layout | null {
  try {
    const raw = storage.getItem(PREFIX + hostname);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Layout>;
    if (typeof v.positions !== 'object' || v.positions === null || typeof v.sizes !== 'object' || v.sizes === null) return null;
    return { positions: v.positions, sizes: v.sizes };
  } catch {
    return null;
  }
}

export function saveLayout(storage: Storage, hostname: string, layout: Layout): void {
  try {
    storage.setItem(PREFIX + hostname, JSON.stringify(layout));
  } catch {
    // A full or disabled storage only costs the saved positions.
  }
}

export function forgetLayout(storage: Storage, hostname: string): void {
  storage.removeItem(PREFIX + hostname);
}
