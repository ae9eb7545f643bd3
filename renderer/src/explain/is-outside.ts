import type { ExplainEndpoint, Snapshot } from '../../../protocol/src/index.js';

/**
 * Whether a probe would send packets to an address no namespace on this host holds: the
 * helper refuses those unless the person confirms (allowOutside), and so does the UI first.
 */
export function probeLeavesHost(dst: ExplainEndpoint, s: Snapshot | null): boolean {
  if (dst.kind !== 'address') return false;
  const held = new Set((s?.interfaces ?? []).flatMap((i) => i.addresses.map((a) => (a.split('/')[0] ?? a).toLowerCase())));
  return !held.has(dst.ip.toLowerCase());
}
