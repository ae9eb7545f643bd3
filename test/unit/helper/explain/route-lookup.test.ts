import { describe, expect, it } from 'vitest';
import { indexSnapshot } from '../../../../helper/explain/net-index.js';
import { lookupRoute } from '../../../../helper/explain/route-lookup.js';
import { loadLab, nsId } from './lab-fixture.js';

describe('lookupRoute', () => {
  const s = loadLab();
  const idx = indexSnapshot(s);
  const host = nsId(s, null);
  const ns1 = nsId(s, 'ns1');

  it('the local table first: an own address is local, even one of another interface', () => {
    expect(lookupRoute(idx, host, '203.0.113.1')).toMatchObject({ kind: 'local' });
    expect(lookupRoute(idx, host, '127.0.0.5')).toMatchObject({ kind: 'local', route: { dst: '127.0.0.0/8' } });
  });

  it('longest prefix in main; the default route only when nothing narrower matches', () => {
    expect(lookupRoute(idx, ns1, '10.0.0.1')).toMatchObject({ kind: 'unicast', nexthop: '10.0.0.1', route: { dst: '10.0.0.0/24' } });
    expect(lookupRoute(idx, ns1, '198.51.100.7')).toMatchObject({ kind: 'unicast', nexthop: '10.0.0.1', route: { dst: 'default' } });
    expect(lookupRoute(idx, host, '198.51.100.7')).toEqual({ kind: 'none' });
  });

  it('family aware: an IPv6 address never takes an IPv4 route (ns1 has no IPv6 default)', () => {
    expect(lookupRoute(idx, ns1, '2001:db8::1')).toEqual({ kind: 'none' });
    expect(lookupRoute(idx, ns1, 'fe80::1')).toMatchObject({ kind: 'unicast', route: { dst: 'fe80::/64' } });
  });

  it('a blackhole route refuses', () => {
    const s2 = loadLab();
    s2.routes.push({ ns: nsId(s2, 'ns1'), table: 'main', dst: '198.51.100.0/24', gateway: null, dev: null, src: null, protocol: null, scope: null, metric: null, type: 'blackhole', family: 4 });
    expect(lookupRoute(indexSnapshot(s2), nsId(s2, 'ns1'), '198.51.100.7')).toMatchObject({ kind: 'refused' });
  });
});
