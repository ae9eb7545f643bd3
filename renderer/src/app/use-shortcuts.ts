import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../../protocol/src/index.js';
import { desktopCommandForKey } from '../desktop/desktop-keys.js';

export interface ShortcutActions {
  search: () => void;
  escape: () => void;
  fit: () => void;
  zoomReset: () => void;
  relayout: () => void;
  help: () => void;
  /** Ctrl+Z outside text fields: undo the last applied plan. */
  undo?: () => void;
  /** E / H: the explain and health panels (renderer/src/explain). */
  explain?: () => void;
  health?: () => void;
  /** A: "Add host…" (renderer/src/hosts), where the connection can add hosts. */
  addHost?: () => void;
  /** Save/open layout, exports, redo, zoom (renderer/src/desktop/desktop-keys.ts). */
  desktop?: (command: MenuCommand) => void;
}

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);

/** Window-wide keys (listed in HelpPopover). Single letters only when no field has focus. */
export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      const ctrl = e.ctrlKey || e.metaKey;
      const command = a.desktop ? desktopCommandForKey(e, typing(e.target)) : null;
      if (command && a.desktop) {
        e.preventDefault();
        a.desktop(command);
        return;
      }
      if (ctrl && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        a.search();
      } else if (ctrl && e.key === '0') {
        e.preventDefault();
        a.zoomReset();
      } else if (ctrl && !e.shiftKey && e.key.toLowerCase() === 'z' && a.undo && !typing(e.target)) {
        e.preventDefault();
        a.undo();
      } else if (e.key === 'Escape' && !typing(e.target)) a.escape();
      else if (!ctrl && !e.altKey && !typing(e.target)) {
        if (e.key === 'f' || e.key === 'F') a.fit();
        else if (e.key === 'l' || e.key === 'L') a.relayout();
        else if (e.key === '?') a.help();
        else if (e.key === 'e' || e.key === 'E') a.explain?.();
        else if (e.key === 'h' || e.key === 'H') a.health?.();
        else if (e.key === 'a' || e.key === 'A') {
          if (a.addHost) {
            // The dialog's field gets focus; the letter must not land in it.
            e.preventDefault();
            a.addHost();
          }
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
