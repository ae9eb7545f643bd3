import { describe, expect, it } from 'vitest';
import { LineDecoder, MAX_LINE_BYTES, PART_CHARS, PartAssembler, encodeFramed } from '../../../protocol/src/framing.js';
import { PartMessage } from '../../../protocol/src/messages.js';

// A snapshot of a host with thousands of firewall rules is longer than a line may be (1 MiB):
// the helper sends it in parts, each a line under the limit, and the client joins them.
describe('messages longer than a line', () => {
  const big = { id: 7, result: { rules: Array.from({ length: 30_000 }, (_, i) => ({ spec: `-A FORWARD -s 10.0.${i % 250}.1 -j ACCEPT "ünïcode ✓"`, i })) } };

  it('travel as parts under the line limit and come back whole', () => {
    const framed = encodeFramed(big);
    const lines = framed.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThan(MAX_LINE_BYTES);
    const asm = new PartAssembler();
    let whole: string | null = null;
    new LineDecoder((l) => {
      whole = asm.push(PartMessage.parse(JSON.parse(l)).part) ?? whole;
    }).push(framed);
    expect(JSON.parse(whole!)).toEqual(big);
  });

  it('a short message stays one line', () => {
    expect(encodeFramed({ id: 1, result: 'x' })).toBe('{"id":1,"result":"x"}\n');
  });

  it('parts out of order, or a message cut short, are dropped, and the next one still joins', () => {
    const drops: string[] = [];
    const asm = new PartAssembler((why) => drops.push(why));
    const text = 'x'.repeat(PART_CHARS * 2 + 5);
    expect(asm.push({ id: 'a', index: 1, count: 3, text: 'mid' })).toBeNull();
    expect(asm.push({ id: 'b', index: 0, count: 3, text: text.slice(0, PART_CHARS) })).toBeNull();
    expect(asm.push({ id: 'c', index: 0, count: 1, text: '{"ok":1}' })).toBe('{"ok":1}');
    expect(asm.push({ id: 'd', index: 0, count: 10 ** 9, text: '' })).toBeNull();
    expect(drops).toHaveLength(3);
  });
});
