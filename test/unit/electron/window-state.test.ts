import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState } from '../../../electron/window-state.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'netloom-state-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('round-trips through the JSON file', () => {
    const file = join(dir, 'sub', 'window-state.json');
    saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });

  it.each([
    ['missing', null],
    ['not JSON', '{'],
    ['too small', '{"width":10,"height":10}'],
    ['wrong types', '{"width":"big","height":800}'],
  ])('falls back to the default when the file is %s', (_name, text) => {
    const file = join(dir, 'window-state.json');
    if (text !== null) writeFileSync(file, text);
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('forgets a position that is on no display now', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const onScreen = { x: 100, y: 100, width: 800, height: 600, maximized: false };
    expect(fitToDisplays(onScreen, displays)).toEqual(onScreen);
    expect(fitToDisplays({ ...onScreen, x: 3000 }, displays)).toEqual({ width: 800, height: 600, maximized: false });
    expect(fitToDisplays({ ...onScreen, x: 3000 }, [...displays, { x: 1920, y: 0, width: 2560, height: 1440 }])).toMatchObject({ x: 3000 });
  });
});
