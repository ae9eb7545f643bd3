import { ifaceIdOf } from '../../protocol/src/snapshot.js';
import type { ParsedLink } from './ip-link.js';

/** The bridge a link is enslaved to: `master` is a name, and a master always lives in the link's own namespace. */
export function masterId(nsId: string, link: ParsedLink, byName: Map<string, ParsedLink>): string | null {
  if (link.masterName === null) return null;
  const m = byName.get(link.masterName);
  return m === undefined ? null : ifaceIdOf(nsId, m.ifindex);
}

/**
 * The lower device of a vlan/macvlan/ipvlan/vxlan: in the same namespace ip names it (`link`) or
 * gives `link_index`; in another namespace (a macvlan moved into a container) it gives
 * `link_index` + `link_netnsid`, which `nsidMap` (learned from veth pairs and names) may resolve.
 */
export function parentId(
  nsId: string,
  link: ParsedLink,
  byName: Map<string, ParsedLink>,
  nsidMap: Map<number, string> | undefined,
): string | null {
  if (link.kind === 'veth' || link.kind === 'loopback') return null;
  if (link.linkNetnsid !== null) {
    const other = nsidMap?.get(link.linkNetnsid);
    return other !== undefined && link.linkIndex !== null ? ifaceIdOf(other, link.linkIndex) : null;
  }
  if (link.linkIndex !== null) return ifaceIdOf(nsId, link.linkIndex);
  if (link.linkName !== null) {
    const p = byName.get(link.linkName);
    return p === undefined ? null : ifaceIdOf(nsId, p.ifindex);
  }
  return null;
}
