import { describe, expect, it } from 'vitest';
import { IP_BATCH_INPUT, parseIpBatch } from '../../../../helper/discover/ip-batch.js';
import { parseNsids } from '../../../../helper/discover/nsid.js';
import { parseIpForward } from '../../../../helper/discover/netconf.js';
import { loadCase } from './ip-fixtures.js';

describe('ip batch output', () => {
  const lab = loadCase('bridge-lab');

  it('asks one line per section (list-id only on demand)', () => {
    expect(IP_BATCH_INPUT.trim().split('\n')).toEqual(['addr show', 'route show table all', 'netconf show']);
  });

  it('a batch without list-id leaves the nsid table unread (null)', () => {
    const three = lab.raw.host!.trim().split('\n').slice(0, 3).join('\n');
    const p = parseIpBatch(three);
    expect(p.missing).toEqual([]);
    expect(p.nsids).toBeNull();
    expect(p.ipForward).toBe(true);
  });

  it('splits the four sections of a real batch', () => {
    const p = parseIpBatch(lab.raw.host!);
    expect(p.missing).toEqual([]);
    expect(p.links.map((l) => l.name)).toContain('br3');
    expect(p.ipForward).toBe(true);
    expect(p.nsids).toEqual(new Map([[0, 'ns1'], [1, 'ns2']]));
    expect(parseIpBatch(lab.raw.ns1!).ipForward).toBe(false);
  });

  it('recognises sections by shape when a failed command left its line out', () => {
    const lines = lab.raw.host!.trim().split('\n');
    const withoutRoutes = [lines[0], 'Object "x" is unknown', lines[2], lines[3]].join('\n');
    const p = parseIpBatch(withoutRoutes);
    expect(p.missing).toEqual(['routes']);
    expect(p.links.length).toBeGreaterThan(3);
    expect(p.ipForward).toBe(true);
    expect(p.nsids?.get(1)).toBe('ns2');
  });

  it('nsids without a name (unnamed namespaces) map to null; netconf without "all" is unknown', () => {
    expect(parseNsids([{ nsid: 0 }, { nsid: 3, name: 'x' }])).toEqual(new Map([[0, null], [3, 'x']]));
    expect(parseIpForward([{ family: 'inet6', interface: 'all', forwarding: true }])).toBeNull();
  });
});
