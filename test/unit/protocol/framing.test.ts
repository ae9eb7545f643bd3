import { describe, expect, it } from 'vitest';
import { LineDecoder, encodeLine } from '../../../protocol/src/framing.js';

function collect(maxChars?: number) {
  const lines: string[] = [];
  let overflows = 0;
  const d = new LineDecoder((l) => lines.push(l), () => overflows++, maxChars);
  return { d, lines, overflows: () => overflows };
}

describe('LineDecoder', () => {
  it('joins lines cut across chunks and splits joined ones', () => {
    const { d, lines } = collect();
    d.push('{"a":1}\n{"b"');
    d.push(':2}\n{"c":3}\n{"d"');
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    d.push(':4}\n');
    expect(lines.at(-1)).toBe('{"d":4}');
  });

  it('skips blank lines', () => {
    const { d, lines } = collect();
    d.push('\n\n  \n{"x":1}\n');
    expect(lines).toEqual(['{"x":1}']);
  });

  it('drops an over-long line whole, reports it once, and resumes at the next line', () => {
    const { d, lines, overflows } = collect(10);
    d.push('0123456789ABC');
    d.push('DEF');
    d.push('GHI\n{"ok":1}\n');
    expect(lines).toEqual(['{"ok":1}']);
    expect(overflows()).toBe(1);
  });

  it('drops an over-long line that arrives complete in one chunk', () => {
    const { d, lines, overflows } = collect(5);
    d.push('abcdefgh\nab\n');
    expect(lines).toEqual(['ab']);
    expect(overflows()).toBe(1);
  });

  it('encodes one message per line', () => {
    expect(encodeLine({ a: 'x\ny' })).toBe('{"a":"x\\ny"}\n');
  });
});
