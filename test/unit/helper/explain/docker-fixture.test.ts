import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../../helper/explain/explain-path.js';
import { explainHealth } from '../../../../helper/explain/health.js';
import { ExplainParams } from '../../../../protocol/src/explain.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import { loadLab } from './lab-fixture.js';

// A real dockerd's rules (Debian docker.io 20.10, recorded by test/fixtures/explain/record-docker.sh):
// no-icc (q1, q2) with enable_icc=false, with-icc (w1, w2), web publishing 18080 → 80 with docker-proxy.
const s = loadLab('docker-icc');
const ns = (snap: Snapshot, name: string) => snap.namespaces.find((n) => n.container?.name === name)!.id;
const ip = (snap: Snapshot, name: string) => snap.namespaces.find((n) => n.container?.name === name)!.container!.endpoints![0]!.ip!.split('/')[0]!;
const explain = (p: unknown) => explainPath(s, ExplainParams.parse(p));
const between = (a: string, b: string) => explain({ src: { kind: 'ns', ns: ns(s, a) }, dst: { kind: 'address', ip: ip(s, b) } });

describe('explain over a real Docker host', () => {
  it('q1 → q2 on the icc=false network: blocked by Docker\'s -i BR -o BR -j DROP (docker-icc)', () => {
    const r = between('q1', 'q2');
    expect(r.verdict).toBe('blocked');
    expect(r.findings.map((f) => f.code)).toEqual(['docker-icc']);
    expect(r.findings[0]!.message).toContain('the Docker network no-icc');
    expect(r.findings[0]!.decidedBy).toMatchObject({ kind: 'rule', chain: 'FORWARD', spec: expect.stringMatching(/^-i br-\w+ -o br-\w+ -j DROP$/) });
  });

  it('w1 → w2 on a normal network: reaches (bridged, accepted by -i BR -o BR -j ACCEPT; the reply by RELATED,ESTABLISHED)', () => {
    const r = between('w1', 'w2');
    expect(r.verdict).toBe('reaches');
    expect(r.response.find((h) => h.stage === 'forward')!.decidedBy).toMatchObject({ spec: expect.stringContaining('--ctstate RELATED,ESTABLISHED -j ACCEPT') });
  });

  it('q1 → w1 across networks: the isolation chains drop it (docker-isolation)', () => {
    const r = between('q1', 'w1');
    expect(r.verdict).toBe('blocked');
    expect(r.findings.map((f) => f.code)).toEqual(['docker-isolation']);
  });

  it('the host reaches the published port 18080 through Docker\'s OUTPUT DNAT; w1 through docker-proxy', () => {
    const host = explain({ src: { kind: 'ns', ns: 'host' }, dst: { kind: 'hostPort', port: 18080 }, proto: 'tcp' });
    expect(host.verdict).toBe('reaches');
    expect(host.request.find((h) => h.stage === 'output' && h.text.includes('DNAT'))!.dst).toBe(`${ip(s, 'web')}:80`);
    const w1 = explain({ src: { kind: 'ns', ns: ns(s, 'w1') }, dst: { kind: 'hostPort', port: 18080 }, proto: 'tcp' });
    expect(w1.verdict).toBe('reaches');
    expect(w1.findings).toEqual([]);
  });

  it('health names the icc=false network', () => {
    const all = explainHealth(s).groups.flatMap((g) => g.findings);
    expect(all.filter((f) => f.code === 'docker-icc').map((f) => f.message)).toEqual([expect.stringContaining('no-icc')]);
  });
});
