import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProcNetDev } from '../../../../helper/streams/proc-net-dev.js';
import { RateTracker } from '../../../../helper/streams/rates.js';

const text = readFileSync(join(__dirname, '../../../fixtures/counters/proc-net-dev.txt'), 'utf8');

describe('parseProcNetDev', () => {
  it('reads every interface of a real table, long names included', () => {
    const t = parseProcNetDev(text);
    expect([...t.keys()]).toEqual(['lo', 'a-very-long-n0', 'br0']);
    expect(t.get('a-very-long-n0')).toEqual({ rxBytes: 3348, rxPackets: 6, rxErrors: 0, rxDropped: 0, txBytes: 3672, txPackets: 10, txErrors: 0, txDropped: 0 });
    expect(t.get('br0')?.txPackets).toBe(9);
  });

  it('skips lines that are not counters', () => {
    expect(parseProcNetDev('h1\nh2\ngarbage\n eth0: 1 2 3\n').size).toBe(0);
  });
});

describe('RateTracker', () => {
  const v = (rx: number, tx: number) => ({ rxBytes: rx, txBytes: tx, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 });
  it('gives per-second rates over the real gap, null first and after a reset', () => {
    const r = new RateTracker();
    expect(r.update(1000, new Map([['a', v(100, 0)]]))[0]?.rates).toBeNull();
    expect(r.update(1500, new Map([['a', v(600, 50)]]))[0]?.rates).toMatchObject({ rxBytes: 1000, txBytes: 100 });
    expect(r.update(2500, new Map([['a', v(10, 60)]]))[0]?.rates).toBeNull(); // went backwards: recreated
    expect(r.update(3500, new Map([['a', v(20, 60)]]))[0]?.rates).toMatchObject({ rxBytes: 10, txBytes: 0 });
  });
});
