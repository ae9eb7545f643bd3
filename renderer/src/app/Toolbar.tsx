import type { ReactNode, RefObject } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { HelpPopover } from './HelpPopover.js';
import { SearchBox } from './SearchBox.js';

interface Props {
  snapshot: Snapshot | null;
  searchRef: RefObject<HTMLInputElement | null>;
  onPick: (id: string) => void;
  onRelayout: () => void;
  layoutPending: boolean;
  onFit: () => void;
  onRules: () => void;
  onPortMappings: () => void;
  /** Change actions (New ▾, Pending, History) from renderer/src/control. */
  controls?: ReactNode;
  help: boolean;
  onHelp: () => void;
  status: ReactNode;
}

/** The top bar: host, search, view actions, panels, connection. */
export function Toolbar(p: Props) {
  const s = p.snapshot;
  return (
    <header className="toolbar">
      <div className="brand">
        <span className="logo" aria-hidden="true" />
        <span className="app-name">netloom</span>
        {s ? (
          <span className="host" title={`kernel ${s.host.kernel} · iptables ${s.host.iptables ?? 'none'}`}>
            {s.host.hostname}
            <span className="dim"> · {s.namespaces.length} namespaces · {s.interfaces.length} interfaces</span>
          </span>
        ) : null}
      </div>
      <SearchBox ref={p.searchRef} snapshot={s} onPick={p.onPick} onEscape={() => p.searchRef.current?.blur()} />
      <div className="actions">
        {p.controls}
        <button type="button" onClick={p.onFit} title="Fit view (F)">
          Fit
        </button>
        <button type="button" onClick={p.onRelayout} disabled={p.layoutPending} title="Lay the graph out again (L)">
          {p.layoutPending ? 'Laying out…' : 'Re-layout'}
        </button>
        <button type="button" onClick={p.onRules} disabled={!s}>
          Rules
        </button>
        <button type="button" onClick={p.onPortMappings} disabled={!s}>
          Port mappings{s && s.portMappings.length ? <span className="count">{s.portMappings.length}</span> : null}
        </button>
        <HelpPopover open={p.help} onToggle={p.onHelp} />
      </div>
      {p.status}
    </header>
  );
}
