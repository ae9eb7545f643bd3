import { forwardRef, useState } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { searchSnapshot } from '../graph/search.js';

interface Props {
  snapshot: Snapshot | null;
  onPick: (id: string) => void;
  onEscape: () => void;
}

/** Find a node by name, IP, MAC, port or process; Enter goes to the first (or highlighted) match. */
export const SearchBox = forwardRef<HTMLInputElement, Props>(function SearchBox({ snapshot, onPick, onEscape }, ref) {
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  // The list shows while typing; a pick (or leaving the box) closes it and keeps the text.
  const [open, setOpen] = useState(false);
  const hits = snapshot ? searchSnapshot(snapshot, q, 8) : [];
  const pick = (k: number) => {
    const h = hits[k];
    if (!h) return;
    setOpen(false);
    onPick(h.id);
  };
  return (
    <div className="search" role="search">
      <input
        ref={ref}
        type="search"
        aria-label="search nodes by name, IP, MAC, port or process"
        placeholder="Search name, IP, MAC, port, process  (Ctrl+F)"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            pick(active);
          } else if (e.key === 'Escape') {
            setQ('');
            onEscape();
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, hits.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          }
        }}
      />
      {q && open && (
        <ul className="search-hits" role="listbox" aria-label="search results">
          {hits.length === 0 ? <li className="empty">no match</li> : null}
          {hits.map((h, k) => (
            <li key={h.id} role="option" aria-selected={k === active} className={k === active ? 'active' : ''} onMouseDown={(e) => e.preventDefault()} onClick={() => pick(k)}>
              <span>{h.label}</span>
              <span className="dim">{h.why}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
