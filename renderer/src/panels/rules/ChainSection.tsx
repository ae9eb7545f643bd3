import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { FirewallSet, Rule, RuleOwner } from '../../../../protocol/src/index.js';
import type { ChainGroup } from '../group-rules.js';
import { OwnerBadge } from '../OwnerBadge.js';
import { humanBytes, humanCount } from '../format.js';
import { priorityText } from './base-chains.js';
import { ruleJump } from './jumps.js';
import type { MarkKind } from './rule-marks.js';
import { RuleRow } from './RuleRow.js';

/** Rules drawn at once in one chain; more on request (a kube-proxy chain can hold thousands). */
export const RULES_SHOWN = 200;

interface Props {
  chain: ChainGroup;
  /** The rules to list (the chain's, or those the filter kept). */
  rules: Rule[];
  open: boolean;
  onToggle: () => void;
  /** The chain itself is marked (its policy decided). */
  chainMark: MarkKind | null;
  markOf: (r: Rule) => MarkKind | null;
  chains: ReadonlySet<string>;
  sets: ReadonlyMap<string, FirewallSet>;
  onJump: (chain: string) => void;
  /** Accessible name of the section ("chain FORWARD", or with its table in the by-hook view). */
  label: string;
  /** Shown before the chain's name (the by-hook view's priority and table). */
  lead?: ReactNode;
  /** An nftables table's owner: the chain's and its rules' badges say it only where they differ. */
  tableOwner?: RuleOwner | null;
  /** Replaces the chain's own owner badge (the by-hook view shows its table's, with the why). */
  ownerBadge?: ReactNode;
  /** Bumped when a jump lands here: the section scrolls into view and its toggle takes the focus. */
  reveal?: number;
}

const TYPE_NOTE: Record<string, string> = {
  nat: 'a nat chain sees only the first packet of each connection; conntrack applies its translation to the rest',
  route: 'a route chain re-routes a packet whose mark or addresses it changed',
  filter: 'a filter chain',
};

/** A chain: heading with hook, priority, type, policy and owner; its rules when open. */
export function ChainSection({ chain, rules, open, onToggle, chainMark, markOf, chains, sets, onJump, label, lead, ownerBadge, tableOwner = null, reveal = 0 }: Props) {
  const marked = rules.findIndex((r) => markOf(r) !== null);
  const [limit, setLimit] = useState(Math.max(RULES_SHOWN, marked + 50));
  const head = useRef<HTMLElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (chainMark) head.current?.scrollIntoView?.({ block: 'center' });
  }, [chainMark]);
  useEffect(() => {
    if (reveal === 0) return;
    head.current?.scrollIntoView?.({ block: 'start' });
    button.current?.focus({ preventScroll: true });
  }, [reveal]);
  const policyTitle = chain.packets || chain.bytes ? `policy counters: ${chain.packets} packets, ${chain.bytes} bytes` : undefined;
  return (
    <section ref={head} className={`chain${chainMark ? ` is-focused mark-${chainMark}` : ''}`} aria-label={label}>
      <h3>
        <button ref={button} type="button" className="fw-toggle" aria-expanded={open} onClick={onToggle} aria-label={`${open ? 'collapse' : 'expand'} ${label}`}>
          {open ? '▾' : '▸'}
        </button>
        {lead}
        <span className="chain-name">{chain.chain}</span>
        {chain.hook ? (
          <span className="fw-base" title={`a base chain: the kernel calls it at the ${chain.hook} hook; ${TYPE_NOTE[chain.type ?? 'filter'] ?? `type ${chain.type}`}`}>
            {chain.type ?? 'filter'} · {chain.hook}
            {chain.priority !== null && !lead ? ` · ${priorityText(chain.priority, chain.hook)}` : ''}
          </span>
        ) : null}
        {chain.policy ? (
          <span className={`policy policy-${chain.policy.toLowerCase()}`} title={policyTitle}>
            policy {chain.policy}
            {chain.packets ? ` · ${humanCount(chain.packets)} pkts · ${humanBytes(chain.bytes)}` : ''}
          </span>
        ) : null}
        {ownerBadge ?? (chain.owner && chain.owner !== 'user' && chain.owner !== tableOwner ? <OwnerBadge owner={chain.owner} /> : null)}
        <span className="count" title={`${chain.rules.length} rules`}>
          {rules.length === chain.rules.length ? chain.rules.length : `${rules.length}/${chain.rules.length}`}
        </span>
      </h3>
      {open && chain.explanation ? <p className="chain-explanation">{chain.explanation}</p> : null}
      {open ? (
        rules.length ? (
          <ol className="rules">
            {rules.slice(0, limit).map((r, k) => (
              <RuleRow key={r.handle ?? k} rule={r} showOwner={r.owner !== tableOwner} mark={markOf(r)} jump={ruleJump(r, chains)} sets={sets} chains={chains} onJump={onJump} />
            ))}
          </ol>
        ) : (
          <p className="empty">no rules{chain.policy ? ` — every packet gets the policy, ${chain.policy}` : ''}</p>
        )
      ) : null}
      {open && rules.length > limit ? (
        <button type="button" className="fw-more" onClick={() => setLimit((l) => l + RULES_SHOWN * 5)}>
          Show {Math.min(RULES_SHOWN * 5, rules.length - limit)} more of {rules.length} rules
        </button>
      ) : null}
    </section>
  );
}
