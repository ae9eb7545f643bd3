import { describe, expect, it } from 'vitest';
import { SudoPrompt } from '../../../../helper/hosts/sudo-prompt.js';

describe('the sudo password question', () => {
  it('is answered once; an answer nobody asked for is refused; a new question declines the old one', async () => {
    const asking: boolean[] = [];
    const p = new SudoPrompt((a) => asking.push(a));
    expect(p.answer('early')).toBe(false);
    const first = p.ask();
    expect(p.asking).toBe(true);
    const second = p.ask();
    expect(await first).toBeNull();
    expect(p.answer('pw')).toBe(true);
    expect(await second).toBe('pw');
    expect(p.answer('again')).toBe(false);
    expect(asking).toEqual([true, false, true, false]);
  });

  it('counts as declined when nobody answers in time', async () => {
    const p = new SudoPrompt(() => {}, 20);
    expect(await p.ask()).toBeNull();
    expect(p.asking).toBe(false);
  });
});
