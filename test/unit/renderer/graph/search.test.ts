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

  it('finds a port mapping by its host port (tcp/8080, :8080, a port of a range) or target port (issue 15)', () => {
    const t = labSnapshot();
    t.portMappings.push({ ns: HOST, proto: 'udp', hostIp: null, hostPort: 5300, hostPortEnd: 5310, targetIp: '10.0.0.2', targetPort: 53, targetInterface: null, chains: [], localAccess: true, owner: 'netloom' });
    const pm = searchSnapshot(t, '18080')[0];
    expect(pm).toMatchObject({ id: expect.stringMatching(/^pm:.*:tcp:.*:18080$/), label: expect.stringMatching(/^port mapping tcp/), exact: true });
    expect(searchSnapshot(t, 'tcp/18080')[0]?.id).toBe(pm?.id);
    expect(searchSnapshot(t, ':18080')[0]?.id).toBe(pm?.id);
    expect(searchSnapshot(t, 'udp/18080')).toEqual([]);
    expect(searchSnapshot(t, '5305')[0]).toMatchObject({ id: expect.stringMatching(/:udp:\*:5300$/), why: expect.stringContaining('host port') });
    expect(searchSnapshot(t, 'udp 53')[0]).toMatchObject({ why: 'target port 10.0.0.2:53', exact: false });
    expect(searchSnapshot(t, '99999')).toEqual([]);
  });

  it('finds a namespace by a process in it: its command or its pid (issue 15)', () => {
    const t = labSnapshot();
    const n = t.namespaces.find((x) => x.id === NS1)!;
    n.processes = [{ pid: 4343, command: 'dnsmasq' }];
    expect(searchSnapshot(t, 'dnsmasq')[0]).toMatchObject({ id: NS1, why: 'process dnsmasq (pid 4343)', exact: true });
    expect(searchSnapshot(t, 'dnsm')[0]?.id).toBe(NS1);
    expect(searchSnapshot(t, '4343')[0]).toMatchObject({ id: NS1, exact: true });
    expect(searchSnapshot(t, '4242')[0]).toMatchObject({ id: WEB, why: 'process nginx (pid 4242)' });
    expect(searchSnapshot(t, '434')).toEqual([]);
  });

  it('finds by MAC in any case, with or without colons, and not by a single hex digit', () => {
    expect(first('0A:BC:DE:F0:12:34')).toBe(`${NS1}/2`);
    expect(first('0abcdef01234')).toBe(`${NS1}/2`);
    expect(searchSnapshot(s, 'zzz')).toEqual([]);
    expect(searchSnapshot(s, '')).toEqual([]);
  });
});
