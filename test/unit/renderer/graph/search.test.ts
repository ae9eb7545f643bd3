import { describe, expect, it } from 'vitest';
import { searchSnapshot } from '../../../../renderer/src/graph/search.js';
import { HOST, labSnapshot, NS1, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';

describe('searchSnapshot', () => {
  const s = labSnapshot();
  const first = (q: string) => searchSnapshot(s, q)[0]?.id;

  it('finds by interface or namespace name, exact first', () => {
    expect(first('docker0')).toBe(`${HOST}/3`);
    expect(first('ns1')).toBe(NS1);
    expect(first('web')).toBe(WEB);
    expect(searchSnapshot(s, 'veth').map((h) => h.id)).toContain(`${HOST}/12`);
  });

  it('finds by IP with or without the prefix', () => {
    expect(first('10.0.0.2')).toBe(`${NS1}/2`);
    expect(first('10.0.0.2/24')).toBe(`${NS1}/2`);
    expect(first('172.17.0.2')).toBe(`${WEB}/2`);
  });

  it('finds by MAC in any case, with or without colons, and not by a single hex digit', () => {
    expect(first('0A:BC:DE:F0:12:34')).toBe(`${NS1}/2`);
    expect(first('0abcdef01234')).toBe(`${NS1}/2`);
    expect(searchSnapshot(s, 'zzz')).toEqual([]);
    expect(searchSnapshot(s, '')).toEqual([]);
  });
});
