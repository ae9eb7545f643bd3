import { describe, expect, it } from 'vitest';
import { desktopCommandForKey } from '../../../../renderer/src/desktop/desktop-keys.js';

const key = (k: string, mods: { shift?: boolean; alt?: boolean; ctrl?: boolean } = {}) => ({ key: k, ctrlKey: mods.ctrl ?? true, metaKey: false, shiftKey: mods.shift ?? false, altKey: mods.alt ?? false });

describe('desktop keys', () => {
  it('maps the File / Edit / View keys', () => {
    expect(desktopCommandForKey(key('s'), false)).toBe('layout.save');
    expect(desktopCommandForKey(key('o'), false)).toBe('layout.open');
    expect(desktopCommandForKey(key('E', { shift: true }), false)).toBe('export.png');
    expect(desktopCommandForKey(key('e', { alt: true }), false)).toBe('export.svg');
    expect(desktopCommandForKey(key('X', { shift: true }), false)).toBe('export.script');
    expect(desktopCommandForKey(key('y'), false)).toBe('edit.redo');
    expect(desktopCommandForKey(key('Z', { shift: true }), false)).toBe('edit.redo');
    expect(desktopCommandForKey(key('='), false)).toBe('view.zoomIn');
    expect(desktopCommandForKey(key('-'), false)).toBe('view.zoomOut');
  });

  it('leaves plain keys, Ctrl+Z (undo has its own handler) and redo in text fields alone', () => {
    expect(desktopCommandForKey(key('s', { ctrl: false }), false)).toBeNull();
    expect(desktopCommandForKey(key('z'), false)).toBeNull();
    expect(desktopCommandForKey(key('y'), true)).toBeNull();
    expect(desktopCommandForKey(key('Z', { shift: true }), true)).toBeNull();
    expect(desktopCommandForKey(key('s'), true)).toBe('layout.save');
  });
});
