import { useEffect, useRef, useState } from 'react';
import type { MenuCommand, ThemeChoice } from '../../../protocol/src/index.js';
import type { Busy } from './use-desktop-actions.js';
import './desktop.css';

type Item = { command: MenuCommand; label: string; keys?: string; busyLabel?: string } | 'separator';

const ITEMS: Item[] = [
  { command: 'layout.save', label: 'Save layout…', keys: 'Ctrl+S', busyLabel: 'Saving layout…' },
  { command: 'layout.open', label: 'Open layout…', keys: 'Ctrl+O', busyLabel: 'Opening layout…' },
  'separator',
  { command: 'export.png', label: 'Export PNG…', keys: 'Ctrl+Shift+E', busyLabel: 'Exporting PNG…' },
  { command: 'export.svg', label: 'Export SVG…', keys: 'Ctrl+Alt+E', busyLabel: 'Exporting SVG…' },
  { command: 'export.script', label: 'Export as shell script…', keys: 'Ctrl+Shift+X', busyLabel: 'Exporting script…' },
  'separator',
  { command: 'edit.undo', label: 'Undo last plan', keys: 'Ctrl+Z' },
  { command: 'edit.redo', label: 'Redo plan', keys: 'Ctrl+Y' },
  'separator',
  { command: 'help.about', label: 'About netloom' },
];

const THEMES: [ThemeChoice, string][] = [
  ['system', 'System'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];

/**
 * The toolbar's ⋯ menu: File, Edit and Help for browser mode, where there is no application
 * menu (the desktop app has both; they run the same actions).
 */
export function DesktopMenu(p: { busy: Busy; canRedo: boolean; hasGraph: boolean; run: (c: MenuCommand) => void; theme: ThemeChoice; onTheme: (c: ThemeChoice) => void }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', esc);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', esc);
    };
  }, [open]);
  const busyItem = ITEMS.find((i) => i !== 'separator' && i.command === p.busy);
  return (
    <div className="dk-menu-box" ref={box}>
      <button type="button" className="dk-menu-btn" aria-haspopup="menu" aria-expanded={open} aria-label="file menu" title="Save, open, export, undo (⋯)" onClick={() => setOpen((o) => !o)}>
        {busyItem && busyItem !== 'separator' ? <span className="dk-busy" role="status">{busyItem.busyLabel}</span> : '⋯'}
      </button>
      {open ? (
        <ul className="dk-menu" role="menu" aria-label="file">
          {ITEMS.map((i, k) =>
            i === 'separator' ? (
              <li key={k} role="separator" className="dk-sep" />
            ) : (
              <li key={i.command} role="none">
                <button
                  type="button"
                  role="menuitem"
                  disabled={p.busy !== null || (i.command === 'edit.redo' && !p.canRedo) || (!p.hasGraph && i.command !== 'layout.open' && i.command !== 'help.about')}
                  onClick={() => {
                    setOpen(false);
                    p.run(i.command);
                  }}
                >
                  <span>{i.label}</span>
                  {i.keys ? <kbd>{i.keys}</kbd> : null}
                </button>
              </li>
            ),
          )}
          <li role="separator" className="dk-sep" />
          <li role="none" className="dk-theme">
            <span className="dim">Theme</span>
            <span role="radiogroup" aria-label="theme">
              {THEMES.map(([c, label]) => (
                <button key={c} type="button" role="radio" aria-checked={p.theme === c} className={p.theme === c ? 'on' : ''} onClick={() => p.onTheme(c)}>
                  {label}
                </button>
              ))}
            </span>
          </li>
        </ul>
      ) : null}
    </div>
  );
}
