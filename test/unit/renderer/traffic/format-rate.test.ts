import { describe, expect, it } from 'vitest';
import { humanPacketRate, humanRate, rateLevel } from '../../../../renderer/src/traffic/format-rate.js';

describe('humanRate', () => {
  it('shows bytes per second in decimal units with one decimal below ten', () => {
    expect(humanRate(0)).toBe('0 B/s');
    expect(humanRate(0.4)).toBe('0 B/s');
    expect(humanRate(512)).toBe('512 B/s');
    expect(humanRate(1234)).toBe('1.2 kB/s');
    expect(humanRate(12_345)).toBe('12 kB/s');
    expect(humanRate(1_234_567)).toBe('1.2 MB/s');
    expect(humanRate(999_999)).toBe('1.0 MB/s');
    expect(humanRate(3.4e9)).toBe('3.4 GB/s');
    expect(humanRate(Number.NaN)).toBe('0 B/s');
  });
  it('shows packets per second and a busy level', () => {
    expect(humanPacketRate(3)).toBe('3 pkt/s');
    expect(humanPacketRate(12_345)).toBe('12k pkt/s');
    expect(humanPacketRate(1500)).toBe('1.5k pkt/s');
    expect(humanPacketRate(2_500_000)).toBe('2.5M pkt/s');
    expect([0, 500, 50_000, 5e6, 5e8].map(rateLevel)).toEqual([0, 1, 2, 3, 4]);
  });
});
