import { describe, expect, it } from 'vitest';
import { splitAllNetns } from '../../../../helper/discover/read-all-named.js';

describe('ip -all netns exec output', () => {
  it('splits on the "netns: NAME" headers ip prints before each namespace (real shape)', () => {
    const out = '\nnetns: a3\n[{"ifindex":1}]\n[]\n\nnetns: a2\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n\nnetns: a1\n';
    const m = splitAllNetns(out);
    expect([...m.keys()]).toEqual(['a3', 'a2', 'a1']);
    expect(m.get('a3')).toBe('[{"ifindex":1}]\n[]\n');
    expect(m.get('a2')).toContain(':INPUT ACCEPT');
    expect(m.get('a1')).toBe('');
    expect(splitAllNetns('').size).toBe(0);
  });
});
