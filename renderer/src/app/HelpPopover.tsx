import { useState } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['Ctrl+F', 'search by name, IP or MAC'],
  ['Enter', 'go to the match'],
  ['Escape', 'close search / panel, clear selection'],
  ['F', 'fit the whole graph in view'],
  ['Ctrl+0', 'zoom to 100 %'],
  ['L', 'lay the graph out again'],
  ['E', 'explain: why a packet gets through or not'],
  ['H', 'health: every problem on this host'],
  ['A', 'add a host over ssh (user@host, host:2222 or an ssh config alias)'],
  ['Ctrl+Z', 'undo the last applied plan (no confirmation; the result shows at the bottom)'],
  ['Ctrl+Y, Ctrl+Shift+Z', 'redo: apply the last undone plan again'],
  ['Ctrl+S', 'save the layout to a file'],
  ['Ctrl+O', 'open a saved layout'],
  ['Ctrl+Shift+E', 'export the graph as PNG'],
  ['Ctrl+Alt+E', 'export the graph as SVG'],
  ['Ctrl+Shift+X', 'export as a shell script of ip/iptables commands'],
  ['Ctrl+= / Ctrl+-', 'zoom in / out'],
  ['?', 'this help'],
];

/** The keyboard shortcuts, behind a (?) button. */
export function HelpPopover({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  return (
    <div className="help">
      <button type="button" className="icon-btn" aria-label="keyboard shortcuts" aria-expanded={open} onClick={onToggle}>
        ?
      </button>
      {open ? (
        <div className="help-pop" role="dialog" aria-label="keyboard shortcuts">
          <table>
            <tbody>
              {SHORTCUTS.map(([k, v]) => (
                <tr key={k}>
                  <td>
                    <kbd>{k}</kbd>
                  </td>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
