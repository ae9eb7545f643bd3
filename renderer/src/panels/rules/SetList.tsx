import { useState } from 'react';
import type { FirewallSet } from '../../../../protocol/src/index.js';
import { setKindText } from './set-refs.js';
import { SetElements } from './SetElements.js';

/** A table's named sets, maps and verdict maps, each opened on request. */
export function SetList({ sets, chains, onJump }: { sets: FirewallSet[]; chains: ReadonlySet<string>; onJump: (chain: string) => void }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  if (sets.length === 0) return null;
  const toggle = (n: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(n)) next.add(n);
      return next;
    });
  return (
    <section className="fw-sets" aria-label="sets and maps">
      <h3>
        Sets and maps <span className="count">{sets.length}</span>
      </h3>
      <ul>
        {sets.map((s) => (
          <li key={s.name}>
            <button type="button" className="fw-set-toggle" aria-expanded={open.has(s.name)} onClick={() => toggle(s.name)}>
              <span aria-hidden="true">{open.has(s.name) ? '▾' : '▸'}</span> <code>@{s.name}</code> <span className="dim">{setKindText(s)}</span> <span className="count">{s.elements.length}</span>
            </button>
            {open.has(s.name) ? <SetElements set={s} chains={chains} onJump={onJump} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
