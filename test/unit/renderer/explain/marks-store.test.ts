import { describe, expect, it } from 'vitest';
import { createMarksStore } from '../../../../renderer/src/explain/marks-store.js';
import type { PathMark } from '../../../../renderer/src/explain/path-marks.js';

const mark = (p: Partial<PathMark> = {}): PathMark => ({ request: true, response: false, blocked: false, badges: [], verdict: 'blocked', ...p });

describe('marks store', () => {
  it('wakes only the ids whose mark changed, keeps unchanged marks by identity, and clears', () => {
    const store = createMarksStore();
    const woke: string[] = [];
    for (const id of ['a', 'b', 'c']) store.subscribeId(id, () => woke.push(id));
    store.set(new Map([['a', mark()], ['b', mark()]]));
    expect(woke.sort()).toEqual(['a', 'b']);
    const a = store.get('a');
    woke.length = 0;
    store.set(new Map([['a', mark()], ['b', mark({ blocked: true })], ['c', mark()]]));
    expect(woke.sort()).toEqual(['b', 'c']);
    expect(store.get('a')).toBe(a);
    woke.length = 0;
    store.set(new Map([['a', mark({ verdict: 'reaches' })]]));
    expect(woke.sort()).toEqual(['a', 'b', 'c']);
    woke.length = 0;
    store.clear();
    expect(woke).toEqual(['a']);
    expect(store.size()).toBe(0);
  });
});
