import { ifaceIdOf } from '../../protocol/src/snapshot.js';
import type { ParsedLink } from './ip-link.js';

/** What peer resolution needs of each namespace. */
export interface NsLinks {
  id: string;
  links: ParsedLink[];
  /** nsid → /run/netns name, from `ip netns list-id` inside this namespace. */
  nsids: Map<number, string | null>;
}

export interface PeerResolution {
  /** interface id → its veth peer's interface id (only resolved ones; the rest have no entry). */
  peers: Map<string, string>;
  /** Per namespace id: nsid → namespace id, as far as it could be known. Parents across namespaces use it too. */
  nsidMap: Map<string, Map<number, string>>;
}

interface End {
  ns: string;
  ifindex: number;
  linkIndex: number;
  nsid: number;
  id: string;
}

/**
 * veth peers across namespaces, from `link_index` + `link_netnsid` — never by name, and right when
 * ifindexes repeat (every fresh namespace's first veth is ifindex 2).
 *
 * An nsid is local to the namespace that holds it, and `ip netns list-id` only names nsids of
 * /run/netns namespaces. For the rest the pair is found by mutual matching: end E (ns A, ifindex i,
 * link_index j) pairs with F (ns B ≠ A, ifindex j, link_index i). Each resolved pair teaches what an
 * nsid denotes (an nsid in A always denotes the same namespace, and a different nsid never does),
 * which narrows the others; we iterate until nothing changes. What stays ambiguous stays null:
 * no peer is better than a wrong one.
 */
export function resolveVethPeers(spaces: NsLinks[], nameToNs: Map<string, string>): PeerResolution {
  const peers = new Map<string, string>();
  const nsidMap = new Map<string, Map<number, string>>(spaces.map((s) => [s.id, new Map<number, string>()]));
  const learn = (ns: string, nsid: number, target: string): void => {
    nsidMap.get(ns)?.set(nsid, target);
  };
  for (const s of spaces) {
    for (const [nsid, name] of s.nsids) {
      const target = name === null ? undefined : nameToNs.get(name);
      if (target !== undefined) learn(s.id, nsid, target);
    }
  }

  const open: End[] = [];
  for (const s of spaces) {
    const byName = new Map(s.links.map((l) => [l.name, l]));
    const byIndex = new Map(s.links.map((l) => [l.ifindex, l]));
    for (const l of s.links) {
      if (l.kind !== 'veth') continue;
      const id = ifaceIdOf(s.id, l.ifindex);
      if (l.linkNetnsid === null) {
        // Same namespace: ip prints the peer's name in `link` (or its index when it cannot name it).
        const p = l.linkIndex !== null ? byIndex.get(l.linkIndex) : l.linkName !== null ? byName.get(l.linkName) : undefined;
        if (p !== undefined && p.kind === 'veth' && p.ifindex !== l.ifindex) peers.set(id, ifaceIdOf(s.id, p.ifindex));
      } else if (l.linkIndex !== null) {
        open.push({ ns: s.id, ifindex: l.ifindex, linkIndex: l.linkIndex, nsid: l.linkNetnsid, id });
      }
    }
  }

  const endsAt = new Map<string, End>(open.map((e) => [`${e.ns}/${e.ifindex}`, e]));
  const taken = new Set<string>();
  const pair = (e: End, f: End): void => {
    peers.set(e.id, f.id);
    peers.set(f.id, e.id);
    taken.add(e.id);
    taken.add(f.id);
    learn(e.ns, e.nsid, f.ns);
    learn(f.ns, f.nsid, e.ns);
  };
  /** Could nsid `nsid` held in namespace `holder` denote namespace `target`? */
  const mayDenote = (holder: string, nsid: number, target: string): boolean => {
    const m = nsidMap.get(holder);
    if (m === undefined) return false;
    const known = m.get(nsid);
    if (known !== undefined) return known === target;
    for (const [other, t] of m) if (other !== nsid && t === target) return false;
    return true;
  };

  let progress = true;
  while (progress) {
    progress = false;
    for (const e of open) {
      if (taken.has(e.id)) continue;
      const known = nsidMap.get(e.ns)?.get(e.nsid);
      let candidates: End[];
      if (known !== undefined) {
        const f = endsAt.get(`${known}/${e.linkIndex}`);
        candidates = f !== undefined && !taken.has(f.id) && f.linkIndex === e.ifindex && mayDenote(f.ns, f.nsid, e.ns) ? [f] : [];
      } else {
        candidates = open.filter(
          (f) =>
            !taken.has(f.id) &&
            f.ns !== e.ns &&
            f.ifindex === e.linkIndex &&
            f.linkIndex === e.ifindex &&
            mayDenote(e.ns, e.nsid, f.ns) &&
            mayDenote(f.ns, f.nsid, e.ns),
        );
      }
      const only = candidates.length === 1 ? candidates[0] : undefined;
      if (only !== undefined) {
        pair(e, only);
        progress = true;
      }
    }
  }
  return { peers, nsidMap };
}
