import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../../helper/explain/explain-path.js';
import { ExplainParams } from '../../../../protocol/src/explain.js';
import { Snapshot } from '../../../../protocol/src/snapshot.js';

// A real host (test/fixtures/tunnels/README): app-a (10.42.0.1/24) on br42, whose other port is
// vx42, a VXLAN (VNI 42) to 10.77.0.3 — 10.42.0.2 lives on the far host, behind the tunnel.
const a = Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/tunnels/host-a.snapshot.json'), 'utf8')));

describe('explain.path through a bridge with a tunnel port', () => {
  it('a neighbour no local port holds may be behind the VXLAN: the frame leaves encapsulated, not "wrong subnet"', () => {
    const r = explainPath(a, ExplainParams.parse({ src: { kind: 'ns', ns: 'app-a' }, dst: { kind: 'address', ip: '10.42.0.2' } }));
    expect(r.findings.map((f) => f.code)).not.toContain('wrong-subnet');
    expect(r.request.filter((h) => h.verdict === 'drop')).toEqual([]);
    const out = r.request.at(-1);
    expect(out).toMatchObject({ stage: 'uplink', verdict: 'pass', outIface: a.interfaces.find((i) => i.name === 'vx42')?.id });
    expect(out?.text).toBe('encapsulated by vx42 (VXLAN VNI 42, 10.77.0.2 → 10.77.0.3 udp/4789): 10.42.0.2 is beyond the tunnel, outside this host');
    expect(r.request.find((h) => h.stage === 'bridge')?.text).toBe('bridge br42 forwards it to its port vx42');
    // The reply comes back out of the tunnel into the bridge (switched, not routed) and to app-a.
    expect(r.response.map((h) => `${h.stage} ${h.verdict}`)).toEqual(['uplink pass', 'forward pass', 'bridge pass', 'veth pass', 'route pass', 'input pass', 'deliver pass']);
    expect(r.response[0]?.text).toBe('decapsulated by vx42 (VXLAN VNI 42): it comes in from beyond the tunnel');
    expect(r.verdict).toBe('reaches');
  });

  it('the same bridge without its VXLAN port: no one answers ARP, as before', () => {
    const noTunnel = { ...a, interfaces: a.interfaces.filter((i) => i.name !== 'vx42') };
    const r = explainPath(noTunnel, ExplainParams.parse({ src: { kind: 'ns', ns: 'app-a' }, dst: { kind: 'address', ip: '10.42.0.2' } }));
    expect(r.verdict).toBe('blocked');
    expect(r.request.at(-1)?.text).toBe('no one behind br42 answers ARP for 10.42.0.2: the packet is never sent');
  });
});

describe('explain.path from an address that comes in by a tunnel (the far half of Explain across hosts)', () => {
  const b = Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/tunnels/host-b.snapshot.json'), 'utf8')));
  const vx42 = b.interfaces.find((i) => i.name === 'vx42')?.id ?? '';

  it('10.42.0.1 arriving by vx42 is decapsulated into br42 and delivered to app-b; the reply goes back into the tunnel', () => {
    const r = explainPath(b, ExplainParams.parse({ src: { kind: 'address', ip: '10.42.0.1', via: vx42 }, dst: { kind: 'ns', ns: 'app-b' } }));
    expect(r.verdict).toBe('reaches');
    expect(r.request[0]?.text).toBe('decapsulated by vx42 (VXLAN VNI 42): it comes in from beyond the tunnel');
    expect(r.request.at(-1)).toMatchObject({ stage: 'deliver', ns: b.namespaces.find((n) => n.name === 'app-b')?.id });
    expect(r.response.at(-1)?.text).toMatch(/^encapsulated by vx42 \(VXLAN VNI 42, 10\.77\.0\.3 → 10\.77\.0\.2 udp\/4789\)/);
  });

  it('a via that is not in the snapshot says so, and nothing is guessed', () => {
    const r = explainPath(b, ExplainParams.parse({ src: { kind: 'address', ip: '10.42.0.1', via: 'ns:1/99' }, dst: { kind: 'ns', ns: 'app-b' } }));
    expect(r.verdict).toBe('unknown');
    expect(r.request.map((h) => h.text)).toEqual(["ns:1/99, where 10.42.0.1's packets come in, is not in the snapshot"]);
  });

  it('without via, the host has no route back to 10.42.0.1 and cannot tell where it comes in', () => {
    const r = explainPath(b, ExplainParams.parse({ src: { kind: 'address', ip: '10.42.0.1' }, dst: { kind: 'ns', ns: 'app-b' } }));
    expect(r.verdict).not.toBe('reaches');
  });
});
