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
    expect(r.response[0]?.text).toBe('decapsulated by vx42 (VXLAN VNI 42): it comes back from beyond the tunnel');
    expect(r.verdict).toBe('reaches');
  });

  it('the same bridge without its VXLAN port: no one answers ARP, as before', () => {
    const noTunnel = { ...a, interfaces: a.interfaces.filter((i) => i.name !== 'vx42') };
    const r = explainPath(noTunnel, ExplainParams.parse({ src: { kind: 'ns', ns: 'app-a' }, dst: { kind: 'address', ip: '10.42.0.2' } }));
    expect(r.verdict).toBe('blocked');
    expect(r.request.at(-1)?.text).toBe('no one behind br42 answers ARP for 10.42.0.2: the packet is never sent');
  });
});
