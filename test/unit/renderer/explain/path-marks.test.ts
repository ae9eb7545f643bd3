import { describe, expect, it } from 'vitest';
import { badgeRuns } from '../../../../renderer/src/explain/badge-runs.js';
import { pathMarks } from '../../../../renderer/src/explain/path-marks.js';
import { HOST, NS1, WEB, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { blockedResult, reachingResult } from './fixtures.js';

describe('pathMarks', () => {
  it('a blocked path: marks the interfaces and the veth edge up to the drop, the dropping interface red, numbers on each', () => {
    const m = pathMarks(blockedResult(), labSnapshot());
    expect(m.get(`${NS1}/2`)).toMatchObject({ request: true, response: false, blocked: false, verdict: 'blocked' });
    // Hops 1 (send, no interface) and 2 (route out of eth0) hang on ns1's eth0.
    expect(m.get(`${NS1}/2`)?.badges.map((b) => b.text)).toEqual(['1', '2']);
    expect(m.get(`veth:${NS1}/2`)).toMatchObject({ request: true });
    expect(m.get(`veth:${HOST}/12`)).toMatchObject({ request: true });
    const drop = m.get(`${HOST}/12`);
    expect(drop).toMatchObject({ request: true, blocked: true });
    expect(drop?.badges.find((b) => b.text === '5')).toMatchObject({ blocked: true });
    // docker0 was only the route's choice: the drop happens before the packet leaves by it… but the route hop passed it.
    expect(m.get(`${HOST}/3`)?.badges.map((b) => b.text)).toEqual(['4']);
    expect(m.has(`${WEB}/2`)).toBe(false);
    expect(m.has(`port:${HOST}/10`)).toBe(false);
  });

  it('a reaching path: the bridge port and web are on it, the response walks back in its own colour', () => {
    const m = pathMarks(reachingResult(), labSnapshot());
    expect(m.get(`port:${HOST}/10`)).toMatchObject({ request: true, response: true, verdict: 'reaches' });
    expect(m.get(`${WEB}/2`)).toMatchObject({ request: true, response: true, blocked: false });
    expect(m.get(`${WEB}/2`)?.badges.map((b) => b.text)).toEqual(['7', '↩1'])
    expect(m.get(`${HOST}/10`)?.badges.map((b) => b.text)).toEqual(['6', '↩2']);
    expect(m.get(`veth:${WEB}/2`)).toMatchObject({ request: true, response: true });
    expect([...m.values()].some((x) => x.blocked)).toBe(false);
    expect([...m.values()].every((x) => x.verdict === 'reaches')).toBe(true);
  });

  it('a walk that never reaches an interface hangs its numbers on the namespace’s own interface', () => {
    const r = blockedResult();
    r.request = [{ ...r.request[0]!, verdict: 'drop', text: 'no route to 172.17.0.2' }];
    const m = pathMarks(r, labSnapshot());
    expect(m.get(`${NS1}/2`)).toMatchObject({ blocked: true, badges: [{ text: '1', blocked: true }] });
  });

  it('interfaces that left the snapshot are skipped, not invented', () => {
    const s = labSnapshot();
    s.interfaces = s.interfaces.filter((i) => i.id !== `${HOST}/12`);
    const m = pathMarks(blockedResult(), s);
    expect(m.has(`${HOST}/12`)).toBe(false);
    expect(m.get(`${NS1}/2`)?.request).toBe(true);
  });
});

describe('badgeRuns', () => {
  it('folds consecutive numbers of one role into a range; a dropped hop stays on its own', () => {
    const b = (text: string, role: 'request' | 'response' = 'request', blocked = false) => ({ text, role, blocked });
    expect(badgeRuns([b('1'), b('2'), b('3'), b('5'), b('↩8', 'response'), b('↩9', 'response')]).map((x) => x.text)).toEqual(['1–3', '5', '↩8–9']);
    expect(badgeRuns([b('3'), b('4'), b('5', 'request', true)]).map((x) => x.text)).toEqual(['3–4', '5']);
  });
});

describe('pathMarks and port mappings', () => {
  it('a request DNATed in the namespace that owns the mapping lights the mapping badge', () => {
    const r = reachingResult();
    r.proto = 'tcp';
    r.port = 18080;
    r.request = [{ stage: 'prerouting', ns: HOST, inIface: `${HOST}/2`, outIface: null, src: '198.51.100.7', dst: '172.17.0.2:80', verdict: 'pass', text: 'DNAT to 172.17.0.2:80', decidedBy: { kind: 'rule', ns: HOST, table: 'nat', chain: 'DOCKER', spec: '! -i docker0 -p tcp -m tcp --dport 18080 -j DNAT --to-destination 172.17.0.2:80' } }];
    const m = pathMarks(r, labSnapshot());
    expect(m.get(`pm:${HOST}:tcp:0.0.0.0:18080`)).toMatchObject({ request: true });
    r.port = 9999;
    expect(pathMarks(r, labSnapshot()).has(`pm:${HOST}:tcp:0.0.0.0:18080`)).toBe(false);
  });
});
