import { useState } from 'react';
import type { FirewallSet } from '../../../../protocol/src/index.js';
import { setKindText } from './set-refs.js';
import { jumpOf } from './jumps.js';

const SHOWN = 100;

interface Props {
  set: FirewallSet;
  /** Chains of the set's table: a verdict map's `jump X` / `goto X` opens X. */
  chains: ReadonlySet<string>;
  onJump: (chain: string) => void;
}

/** A set's, map's or verdict map's elements as nft prints them; large ones a hundred at a time. */
export function SetElements({ set, chains, onJump }: Props) {
  const [limit, setLimit] = useState(SHOWN);
  const shown = set.elements.slice(0, limit);
  return (
    <div className="fw-set" role="group" aria-label={`${set.kind} ${set.name}`}>
      <div className="fw-set-head">
        <code className="fw-set-name">@{set.name}</code>
        <span className="dim">
          {setKindText(set)}
          {set.flags.length ? ` · ${set.flags.join(', ')}` : ''}
        </span>
        <span className="count">{set.elements.length}</span>
      </div>
      {set.elements.length === 0 ? (
        <p className="empty">empty</p>
      ) : (
        <ul className="fw-set-elements">
          {shown.map((e, k) => {
            const jump = jumpOf(e.value, chains);
            return (
              <li key={k}>
                <code>{e.key}</code>
                {e.value !== undefined ? (
                  <>
                    <span className="dim"> : </span>
                    {jump ? (
                      <button type="button" className="node-link mono" onClick={() => onJump(jump)} aria-label={`open chain ${jump}`}>
                        {e.value}
                      </button>
                    ) : (
                      <code>{e.value}</code>
                    )}
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {set.elements.length > limit ? (
        <button type="button" className="fw-more" onClick={() => setLimit((l) => l + SHOWN * 10)}>
          Show {Math.min(SHOWN * 10, set.elements.length - limit)} more of {set.elements.length}
        </button>
      ) : null}
    </div>
  );
}
