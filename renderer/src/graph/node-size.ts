import type { Interface } from '../../../protocol/src/index.js';

/** Fixed node sizes, so ELK can lay out before anything is in the DOM. */
export const IFACE_WIDTH = 196;
export const LOOPBACK = { width: 112, height: 30 } as const;
export const PORT_MAPPING = { width: 236, height: 28 } as const;
/** A tunnel's far end that no host on the canvas holds (issue 14). */
export const REMOTE_NODE = { width: 170, height: 32 } as const;
export const MAX_ADDRESSES_SHOWN = 3;
/** Room for a namespace box's title above its children. */
export const GROUP_PADDING = { top: 44, left: 16, bottom: 16, right: 16 } as const;

/** `runtimeNetwork`: a bridge that carries a runtime network has one more line, the network's name. */
export function interfaceSize(iface: Interface, runtimeNetwork = false): { width: number; height: number } {
  if (iface.kind === 'loopback') return { ...LOOPBACK };
  const shown = Math.min(iface.addresses.length, MAX_ADDRESSES_SHOWN) + (iface.addresses.length > MAX_ADDRESSES_SHOWN ? 1 : 0);
  return { width: IFACE_WIDTH, height: 46 + shown * 15 + (runtimeNetwork ? 16 : 0) };
}
