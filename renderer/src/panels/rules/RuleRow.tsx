import { useEffect, useRef, useState } from 'react';
import type { FirewallSet, Rule } from '../../../../protocol/src/index.js';
import { humanBytes, humanCount } from '../format.js';
import { OwnerBadge } from '../OwnerBadge.js';
import { hasCounter, setNamesIn, splitAtSets } from './set-refs.js';
import type { MarkKind } from './rule-marks.js';
import { SetElements } from './SetElements.js';

interface Props {
  rule: Rule;
  /** False where the table's owner wrote every rule (an nftables table): no badge per rule. */
  showOwner: boolean;
  mark: MarkKind | null;
  /** The chain this rule jumps or goes to, when it is one of its table's. */
  jump: string | null;
  /** Named sets of the rule's table, by name. */
  sets: ReadonlyMap<string, FirewallSet>;
  chains: ReadonlySet<string>;
  onJump: (chain: string) => void;
}

const MARK_NOTE: Record<MarkKind, string> = { focus: 'decided by this rule (Explain)', traced: 'the kernel traced the packet to this rule' };

/**
 * One rule: owner, its text (each `@set` a button that shows the set's elements under the rule),
 * a link to the chain it jumps to, and its live counters (an nftables rule without a `counter`
 * statement counts nothing: it says so rather than show a 0 that means nothing).
 */
export function RuleRow({ rule, showOwner, mark, jump, sets, chains, onJump }: Props) {
  const names = setNamesIn(rule).filter((n) => sets.has(n));
  const [open, setOpen] = useState<string[]>([]);
  const toggle = (n: string) => setOpen((o) => (o.includes(n) ? o.filter((x) => x !== n) : [...o, n]));
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (mark) ref.current?.scrollIntoView?.({ block: 'center' });
  }, [mark]);
  const counted = hasCounter(rule);
  return (
    <li ref={ref} className={[mark ? `is-focused mark-${mark}` : '', showOwner ? '' : 'fw-no-owner'].filter(Boolean).join(' ') || undefined} aria-current={mark ? 'true' : undefined} title={mark ? MARK_NOTE[mark] : undefined}>
      {showOwner ? <OwnerBadge owner={rule.owner} /> : null}
      <code className="spec">
        {splitAtSets(rule.spec, names).map((part, k) =>
          'text' in part ? (
            <span key={k}>{part.text}</span>
          ) : (
            <button key={k} type="button" className="fw-setref" aria-expanded={open.includes(part.set)} onClick={() => toggle(part.set)} aria-label={`@${part.set}: show its elements`}>
              @{part.set}
            </button>
          ),
        )}
        {jump ? (
          <button type="button" className="fw-jump" onClick={() => onJump(jump)} aria-label={`open chain ${jump}`} title={`open chain ${jump}`}>
            ↳
          </button>
        ) : null}
      </code>
      {counted ? (
        <span className="rule-counts" title={`${rule.packets} packets, ${rule.bytes} bytes`}>
          {humanCount(rule.packets)} pkts · {humanBytes(rule.bytes)}
        </span>
      ) : (
        <span className="rule-counts dim" title="This nftables rule has no counter statement, so the kernel counts nothing for it.">
          no counter
        </span>
      )}
      {open.length ? (
        <div className="fw-rule-sets">
          {open.map((n) => {
            const set = sets.get(n);
            return set ? <SetElements key={n} set={set} chains={chains} onJump={onJump} /> : null;
          })}
        </div>
      ) : null}
    </li>
  );
}
