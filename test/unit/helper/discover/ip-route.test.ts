import { describe, expect, it } from 'vitest';
import { parseRoutes } from '../../../../helper/discover/ip-route.js';
import { loadCase } from './ip-fixtures.js';

describe('ip route parsing (real `route show table all`)', () => {
  const lab = loadCase('bridge-lab');
  const ns1 = lab.states[1]!;

  it('reads the default route with gateway, device name, table and family', () => {
    expect(ns1.routes).toContainEqual(
      expect.objectContaining({ dst: 'default', gateway: '170.19.0.3', devName: 'eth0', table: 'main', family: 4, type: 'unicast' }),
    );
  });

  it('includes the local table and IPv6 routes in the same list', () => {
    expect(ns1.routes).toContainEqual(expect.objectContaining({ dst: '170.19.0.1', table: 'local', type: 'local', scope: 'host' }));
    const host = lab.states[0]!;
    expect(host.routes).toContainEqual(expect.objectContaining({ dst: 'fd00:170::/64', family: 6, metric: 256, devName: 'br3' }));
    expect(host.routes.filter((r) => r.family === 6).length).toBeGreaterThan(0);
  });

  it('an IPv6 default route is told apart by its pref field; numeric tables become strings', () => {
    const [r] = parseRoutes([{ type: 'unicast', dst: 'default', dev: 'eth0', table: 100, metric: 1024, pref: 'medium', flags: [] }]);
    expect(r).toMatchObject({ family: 6, table: '100', gateway: null });
  });

  it('skips junk instead of failing', () => {
    expect(parseRoutes('nope')).toEqual([]);
    expect(parseRoutes([{ nodst: 1 }])).toEqual([]);
  });
});
