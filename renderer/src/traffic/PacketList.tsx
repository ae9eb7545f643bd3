import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { PacketSummary } from '../../../protocol/src/index.js';
import { packetTime, visibleRange } from './virtual-window.js';

export const ROW_HEIGHT = 22;

interface Props {
  packets: readonly PacketSummary[];
  /** Changes whenever rows were added (the array is appended in place). */
  version: number;
  selected: number | null;
  onSelect: (n: number) => void;
  label: string;
}

/**
 * The live packet list, windowed by hand: fixed row height, only the visible rows in
 * the DOM, so 100 000 rows cost what 40 do. Sticks to the bottom while the user is
 * there; scrolling up holds the view still.
 */
export function PacketList({ packets, version, selected, onSelect, label }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const stick = useRef(true);
  const total = packets.length;

  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 300));
    ro.observe(el);
    setHeight(el.clientHeight || 300);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !stick.current) return;
    el.scrollTop = total * ROW_HEIGHT;
    setScrollTop(el.scrollTop);
  }, [version, total]);

  const { first, last } = visibleRange(scrollTop, height, ROW_HEIGHT, total);
  const rows = [];
  for (let i = first; i < last; i++) {
    const p = packets[i];
    if (!p) continue;
    const t0 = packets[0]?.time ?? p.time;
    rows.push(
      <div
        key={p.n}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected === p.n}
        className={`pkt-row proto-${p.proto.toLowerCase().replace(/[^a-z0-9]/g, '')}${selected === p.n ? ' is-selected' : ''}`}
        style={{ transform: `translateY(${i * ROW_HEIGHT}px)` }}
        onClick={() => onSelect(p.n)}
      >
        <span role="gridcell" className="c-no">{p.n}</span>
        <span role="gridcell" className="c-time" title={packetTime(p.time)}>{(p.time - t0).toFixed(6)}</span>
        <span role="gridcell" className="c-src">{p.src}</span>
        <span role="gridcell" className="c-dst">{p.dst}</span>
        <span role="gridcell" className="c-proto">{p.proto}</span>
        <span role="gridcell" className="c-len">{p.length}</span>
        <span role="gridcell" className="c-info">{p.info}</span>
      </div>,
    );
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (!total) return;
    const idx = selected === null ? -1 : packets.findIndex((p) => p.n === selected);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? total - 1 : Math.min(total - 1, Math.max(0, idx + (e.key === 'ArrowDown' ? 1 : -1)));
    const p = packets[next];
    if (!p) return;
    onSelect(p.n);
    const el = ref.current;
    if (el) {
      const y = next * ROW_HEIGHT;
      if (y < el.scrollTop) el.scrollTop = y;
      else if (y + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = y + ROW_HEIGHT - el.clientHeight;
    }
  };

  return (
    <div className="pkt-list" role="grid" aria-label={label} aria-rowcount={total + 1} tabIndex={0} onKeyDown={onKey}>
      <div role="row" aria-rowindex={1} className="pkt-head">
        <span role="columnheader" className="c-no">No.</span>
        <span role="columnheader" className="c-time">Time</span>
        <span role="columnheader" className="c-src">Source</span>
        <span role="columnheader" className="c-dst">Destination</span>
        <span role="columnheader" className="c-proto">Protocol</span>
        <span role="columnheader" className="c-len">Length</span>
        <span role="columnheader" className="c-info">Info</span>
      </div>
      <div
        className="pkt-scroll"
        ref={ref}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
          setScrollTop(el.scrollTop);
        }}
      >
        <div className="pkt-spacer" style={{ height: total * ROW_HEIGHT }}>
          {rows}
        </div>
        {total === 0 ? <p className="pkt-empty">No packets yet.</p> : null}
      </div>
    </div>
  );
}
