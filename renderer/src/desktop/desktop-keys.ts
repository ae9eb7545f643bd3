import type { MenuCommand } from '../../../protocol/src/index.js';

/**
 * Keys of the File / Edit / View actions (the desktop menu shows the same ones; the page
 * handles them in both doors). Undo/redo keys in a text field stay the field's own.
 */
export function desktopCommandForKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }, typing: boolean): MenuCommand | null {
  if (!(e.ctrlKey || e.metaKey)) return null;
  const k = e.key.toLowerCase();
  if (e.shiftKey && k === 'z') return typing ? null : 'edit.redo';
  if (!e.shiftKey && !e.altKey && k === 'y') return typing ? null : 'edit.redo';
  if (!e.shiftKey && !e.altKey && k === 's') return 'layout.save';
  if (!e.shiftKey && !e.altKey && k === 'o') return 'layout.open';
  if (e.shiftKey && !e.altKey && k === 'e') return 'export.png';
  if (e.altKey && !e.shiftKey && k === 'e') return 'export.svg';
  if (e.shiftKey && !e.altKey && k === 'x') return 'export.script';
  if (!e.altKey && (e.key === '=' || e.key === '+')) return 'view.zoomIn';
  if (!e.altKey && (e.key === '-' || e.key === '_')) return 'view.zoomOut';
  return null;
}
