import type { IntentOf } from '../../protocol/src/intents.js';
import { cidrContains } from '../discover/ipv4-match.js';
import type { SysctlAction } from './actions.js';
import { nsLabel } from './actions.js';
import type { IptablesRule, LinkState, NsState } from './context.js';
import type { TaggedRule } from './nat-rules.js';
import { isLoopbackIp } from './nat-rules.js';
import { ruleTag } from './netloom-chains.js';
import type { NftOwnRule } from './nft-own.js';

/**
 * 127.0.0.1 → a port mapping's target in another namespace. The OUTPUT DNAT rewrites the
 * destination but the source stays 127.0.0.1, and the kernel refuses to route a 127/8 source off
 * the loopback — the connection just hangs — unless `route_localnet` is on for the device the
 * packet leaves by (checked per out device: on `lo` it does nothing). So, for that one device:
 * route_localnet=1 (undo restores it), a MASQUERADE so the target sees the host's address rather
 * than its own loopback, and — because route_localnet also lets packets *for* 127/8 in from that
 * device (CVE-2020-8558) — a guard in NETLOOM-INPUT dropping those unless they are replies.
 * The guard marks route_localnet as netloom's: rule.remove of the last guard turns it off again.
 */

const GUARD = (dev: string): string => `-d 127.0.0.0/8 -i ${dev} -m conntrack ! --ctstate RELATED,ESTABLISHED`;
/**
 * The same guard in netloom's nftables table, as `nft -s list` prints it back. A flag list, not
 * `!= established,related`: nft compiles that to an exact compare, true for an established packet too.
 */
const NFT_GUARD = (dev: string): string => `iifname "${dev}" ip daddr 127.0.0.0/8 ct state invalid,new,untracked drop`;

/** A per-device sysctl key; a name with dots (eth0.100) takes sysctl's slash form. */
export const routeLocalnetKey = (dev: string): string => (dev.includes('.') ? `net/ipv4/conf/${dev}/route_localnet` : `net.ipv4.conf.${dev}.route_localnet`);

/** Does this mapping promise 127.0.0.1 (on every host address, or 127.0.0.1 itself)? */
export function reachesLoopback(p: IntentOf<'portmap.add'>): boolean {
  return p.localAccess !== false && (p.hostIp === undefined || p.hostIp === '0.0.0.0' || isLoopbackIp(p.hostIp));
}

/** The device the host would send the target's packets out of: the link whose IPv4 subnet holds it (longest prefix). */
export function outDevice(ns: NsState, ip: string): LinkState | undefined {
  let best: { link: LinkState; bits: number } | undefined;
  for (const link of ns.links) {
    for (const a of link.addresses) {
      const bits = Number(a.split('/')[1]);
      if (!a.includes(':') && cidrContains(a, ip) && (best === undefined || bits > best.bits)) best = { link, bits };
    }
  }
  return best?.link;
}

const isGuardOf = (r: IptablesRule, dev: string): boolean => r.table === 'filter' && r.chain === 'NETLOOM-INPUT' && r.spec.startsWith(`${GUARD(dev)} `);
const isNftGuardOf = (r: NftOwnRule, dev: string): boolean => r.chain === 'input' && r.text.startsWith(`${NFT_GUARD(dev)} `);
const hasGuard = (ns: NsState, dev: string): boolean =>
  (ns.iptables?.rules.some((r) => isGuardOf(r, dev)) ?? false) || (ns.firewall?.nft?.rules.some((r) => isNftGuardOf(r, dev)) ?? false);

export interface LoopbackPlan {
  sysctl: SysctlAction[];
  rules: TaggedRule[];
  /** The same rules for netloom's nftables table (a host whose firewall is native nftables). */
  nft: NftOwnRule[];
  notes: string[];
}

export function loopbackAccess(ns: NsState, p: IntentOf<'portmap.add'>, id: string, targetPorts: string): LoopbackPlan {
  const none: LoopbackPlan = { sysctl: [], rules: [], nft: [], notes: [] };
  if (!reachesLoopback(p)) return none;
  const at = `127.0.0.1:${p.hostPort}${p.hostPortEnd !== undefined && p.hostPortEnd !== p.hostPort ? `-${p.hostPortEnd}` : ''}`;
  // A target on this host itself is reached over lo: nothing to do.
  if (ns.links.some((l) => l.addresses.some((a) => a.split('/')[0] === p.targetIp))) return none;
  const dev = outDevice(ns, p.targetIp);
  if (!dev) {
    return { ...none, notes: [`${at} will not answer: ${p.targetIp} is not on a subnet attached to ${nsLabel(ns.target)}, so from this host only its own addresses reach the mapping`] };
  }
  const tag = ruleTag(id);
  const rules: TaggedRule[] = [
    { chain: 'NETLOOM-POSTROUTING', spec: `-s 127.0.0.0/8 -d ${p.targetIp}/32 -p ${p.proto} -m ${p.proto} --dport ${targetPorts} ${tag} -j MASQUERADE` },
  ];
  const nftPorts = targetPorts.replace(':', '-');
  const nft: NftOwnRule[] = [{ chain: 'postrouting', text: `ip saddr 127.0.0.0/8 ip daddr ${p.targetIp} meta l4proto ${p.proto} th dport ${nftPorts} masquerade comment "netloom:${id}"`, id }];
  const guarded = hasGuard(ns, dev.name);
  // Someone else turned it on (everywhere, or Docker on its bridge): theirs to keep and to guard.
  if (ns.routeLocalnet === true || ((dev.routeLocalnet ?? ns.defaultRouteLocalnet) === true && !guarded)) {
    return { sysctl: [], rules, nft, notes: [`${at} answers too (route_localnet is already on for ${dev.name})`] };
  }
  rules.push({ chain: 'NETLOOM-INPUT', spec: `${GUARD(dev.name)} ${tag} -j DROP` });
  nft.push({ chain: 'input', text: `${NFT_GUARD(dev.name)} comment "netloom:${id}"`, id });
  const sysctl: SysctlAction[] = [];
  // A link read from the host has its own value (or null: unreadable); one this plan creates has none yet: it starts with the default.
  const before = dev.routeLocalnet === undefined ? (ns.defaultRouteLocalnet ?? null) : dev.routeLocalnet;
  if (before !== true) {
    const previous = before === false ? '0' : null;
    sysctl.push({
      kind: 'sysctl',
      ns: ns.target,
      key: routeLocalnetKey(dev.name),
      value: '1',
      previous,
      description: `let 127.0.0.1 reach ${p.targetIp} through ${dev.name} (route_localnet on ${dev.name} only) in ${nsLabel(ns.target)}`,
    });
    dev.routeLocalnet = true;
  }
  const was = before === true ? 'already on for an earlier netloom mapping' : `was ${before === false ? '0' : 'unknown'}`;
  return {
    sysctl,
    rules,
    nft,
    notes: [
      `${at} answers too: sets ${routeLocalnetKey(dev.name)}=1 (${was}) and drops packets for 127.0.0.0/8 arriving from outside on ${dev.name} (netloom:${id}); undo restores both`,
    ],
  };
}

/**
 * rule.remove took these rules away: where they held the last netloom guard of a device whose
 * route_localnet netloom turned on, turn it off again (the undo turns it back on).
 */
export function releaseLoopback(ns: NsState, removed: IptablesRule[], removedNft: NftOwnRule[] = []): SysctlAction[] {
  const out: SysctlAction[] = [];
  for (const link of ns.links) {
    if (!removed.some((r) => isGuardOf(r, link.name)) && !removedNft.some((r) => isNftGuardOf(r, link.name))) continue;
    if (hasGuard(ns, link.name)) continue;
    if (link.routeLocalnet === false) continue;
    out.push({
      kind: 'sysctl',
      ns: ns.target,
      key: routeLocalnetKey(link.name),
      value: '0',
      previous: link.routeLocalnet === true ? '1' : null,
      description: `route_localnet off again for ${link.name} in ${nsLabel(ns.target)} (no netloom mapping needs it now)`,
    });
    link.routeLocalnet = false;
  }
  return out;
}
