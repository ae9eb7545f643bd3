import type { Interface } from '../../../protocol/src/index.js';

/** Fixed node sizes, so ELK can lay out before anything is in the DOM. */
export const IFACE_WIDTH = 196;
export const LOOPBACK = { width: 96, height: 28 } as const;
export const PORT_MAPPING = { width: 236, height: 28 } as const;
/** A tunnel's far end that no host on the canvas holds (issue 14). */
export const REMOTE_NODE = { width: 170, height: 32 } as const;
/** A host group with no picture yet: room for its title, state, progress and error sentence. */
export const EMPTY_HOST = { width: 460, height: 150 } as const;
export const MAX_ADDRESSES_SHOWN = 3;
/** Room for a namespace box's title above its children. */
export const GROUP_PADDING = { top: 42, left: 14, bottom: 12, right: 14 } as const;

/**
 * The addresses a node shows: the global ones. An IPv6 link-local address (fe80::, on nearly every
 * interface) is shown only when it is all there is, and never on a bridge port; the inspector
 * lists them all.
 */
export function shownAddresses(iface: Interface): string[] {
  const global = iface.addresses.filter((a) => !a.toLowerCase().startsWith('fe80:'));
  if (global.length > 0 || iface.master) return global;
  return iface.addresses;
}

/** `runtimeNetwork`: a bridge that carries a runtime network has one more line, the network's name. */
export function interfaceSize(iface: Interface, runtimeNetwork = false): { width: number; height: number } {
  if (iface.kind === 'loopback') return { ...LOOPBACK };
  // A bridge port without an address is the normal case: no "no address" line for it.
  const shown = shownAddresses(iface);
  const lines = shown.length === 0 ? (iface.master ? 0 : 1) : Math.min(shown.length, MAX_ADDRESSES_SHOWN) + (shown.length > MAX_ADDRESSES_SHOWN ? 1 : 0);
  // Head 30 px (padding, name, chips), 15 px a line below it; measured in Chromium (layout e2e checks nothing is cut).
  return { width: IFACE_WIDTH, height: 32 + lines * 15 + (runtimeNetwork ? 16 : 0) };
}
