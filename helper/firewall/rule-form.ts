/**
 * The one parsed form of a firewall rule, whatever wrote it: iptables-save text (legacy and
 * iptables-nft) and libnftables JSON (native nftables) are both read into this, and everything
 * that asks "does this rule match, and what does it do" — Explain, port mappings, the plan's
 * conflict checks — asks this form, never the text.
 *
 * A rule is matches (all must hold), then statements in order: side effects (a mark set, a log,
 * a counter) and at most one verdict, which ends the rule.
 */

/** What a match reads from the packet or its surroundings. */
export type Key =
  | 'saddr'
  | 'daddr'
  | 'sport'
  | 'dport'
  /** Layer-4 protocol by name: tcp, udp, icmp, icmpv6, sctp… */
  | 'l4proto'
  /** 4 or 6. */
  | 'nfproto'
  | 'iifname'
  | 'oifname'
  | 'mark'
  | 'ctmark'
  /** Connection tracking: new, established, related, invalid, untracked. */
  | 'ctstate'
  /** dnat, snat, confirmed… */
  | 'ctstatus'
  /** original or reply. */
  | 'ctdirection'
  /** Address type as the namespace's routing sees it: local, unicast, broadcast… */
  | 'daddrtype'
  | 'saddrtype'
  /** ICMP/ICMPv6 type by name: echo-request, echo-reply… */
  | 'icmptype'
  /** tcp flags: the `syn` test (SYN set, ACK/RST/FIN clear). */
  | 'tcpsyn'
  /** Fragment (an offset or more-fragments set). */
  | 'fragment'
  /** Link-layer packet type: host, broadcast, multicast, other. */
  | 'pkttype';

/** One element a key is compared with. */
export type Element =
  | { kind: 'value'; value: string }
  /** An address prefix (`10.0.0.0/8`, `fd00::/64`). */
  | { kind: 'prefix'; value: string }
  /** An inclusive range of numbers or addresses. */
  | { kind: 'range'; from: string; to: string }
  /** An interface name pattern (`veth*`, iptables' `veth+`). */
  | { kind: 'wildcard'; prefix: string }
  /** A tuple, for a concatenation key (`ip daddr . tcp dport`). */
  | { kind: 'tuple'; parts: Element[] };

export type Match =
  /** Compare one key (or a concatenation of keys) against a list: `==` any of them, or `!=` none. */
  | { kind: 'cmp'; keys: Key[]; negated: boolean; elements: Element[]; mask?: number; text: string }
  /** Any one of these holds (iptables' `--ports`: source or destination). */
  | { kind: 'any'; of: Match[]; text: string }
  /** A test netloom cannot evaluate (a rate limit, a string match, a set it could not read…). */
  | { kind: 'unknown'; text: string };

export type NatTo = { ip: string | null; port: number | null; portEnd?: number; base?: number };

export type Verdict =
  | { kind: 'accept' | 'drop' | 'reject' | 'return' }
  | { kind: 'jump' | 'goto'; chain: string }
  | { kind: 'dnat'; to: NatTo }
  | { kind: 'snat'; to: NatTo }
  | { kind: 'masquerade' }
  | { kind: 'redirect'; port: number | null }
  /** `KEYS vmap { ELEMENT : VERDICT, … }` — the first element the packet's keys equal decides; keys null: a key netloom cannot read (numgen, a hash). */
  | { kind: 'vmap'; keys: Key[] | null; entries: { element: Element | null; verdict: Verdict }[]; text: string }
  /** A terminal statement netloom does not model (queue, TPROXY, synproxy…). */
  | { kind: 'unknown'; text: string };

export type Effect =
  /** `meta mark set`, `-j MARK --set-xmark V/M`: mark = (mark & ~mask) ^ value; and/or forms are folded here. */
  | { kind: 'mark'; target: 'mark' | 'ctmark'; value: number; mask: number }
  /** A statement that changes something netloom does not follow (a CONNMARK restore, a payload rewrite). */
  | { kind: 'unknown'; text: string };

export interface RuleForm {
  matches: Match[];
  effects: Effect[];
  /** null: the rule only has side effects (LOG, counter, MARK) and the chain goes on. */
  verdict: Verdict | null;
}

export const elementText = (e: Element): string =>
  e.kind === 'value' || e.kind === 'prefix'
    ? e.value
    : e.kind === 'range'
      ? `${e.from}-${e.to}`
      : e.kind === 'wildcard'
        ? `${e.prefix}*`
        : e.parts.map(elementText).join(' . ');
