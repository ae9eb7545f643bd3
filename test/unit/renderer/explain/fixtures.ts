import type { ExplainResult, Hop } from '../../../../protocol/src/index.js';
import { ExplainResult as ExplainResultSchema } from '../../../../protocol/src/index.js';
import { HOST, NS1, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';

/**
 * Explain answers on the lab snapshot (test/fixtures/snapshots/lab-snapshot.ts): ns1's
 * eth0 ↔ host veth01 (HOST/12); docker0 (HOST/3) with port veth1a2b3c (HOST/10) ↔ web's eth0.
 * Parsed through the contract, so a fixture that drifts from protocol/src/explain.ts fails.
 */
const hop = (h: Partial<Hop> & Pick<Hop, 'stage' | 'ns' | 'text'>): Hop => ({ inIface: null, outIface: null, src: '10.0.0.2', dst: '172.17.0.2', verdict: 'pass', decidedBy: null, ...h });

const toWeb: Hop[] = [
  hop({ stage: 'send', ns: NS1, text: 'ping leaves a socket in ns1' }),
  hop({ stage: 'route', ns: NS1, outIface: `${NS1}/2`, text: 'routed by default via 10.0.0.1 dev eth0', decidedBy: { kind: 'route', ns: NS1, table: 'main', dst: 'default', text: 'default via 10.0.0.1 dev eth0' } }),
  hop({ stage: 'veth', ns: HOST, inIface: `${NS1}/2`, outIface: `${HOST}/12`, text: 'crosses the veth pair eth0 → veth01' }),
  hop({ stage: 'route', ns: HOST, inIface: `${HOST}/12`, outIface: `${HOST}/3`, text: 'routed to 172.17.0.0/16 dev docker0', decidedBy: { kind: 'route', ns: HOST, table: 'main', dst: '172.17.0.0/16', text: '172.17.0.0/16 dev docker0' } }),
];

export function blockedResult(): ExplainResult {
  return ExplainResultSchema.parse({
    verdict: 'blocked',
    summary: 'ns1 cannot reach web: the host drops forwarded packets (FORWARD policy DROP).',
    src: { ns: NS1, ip: '10.0.0.2', label: 'ns1' },
    dst: { ns: WEB, ip: '172.17.0.2', label: 'web' },
    proto: 'icmp',
    port: null,
    request: [
      ...toWeb,
      hop({ stage: 'forward', ns: HOST, inIface: `${HOST}/12`, outIface: `${HOST}/3`, verdict: 'drop', text: 'dropped by the FORWARD policy DROP', decidedBy: { kind: 'policy', ns: HOST, table: 'filter', chain: 'FORWARD', policy: 'DROP' } }),
    ],
    response: [],
    findings: [
      {
        code: 'forward-drop',
        severity: 'error',
        ns: HOST,
        iface: `${HOST}/12`,
        message: 'The host drops packets it forwards from veth01 to docker0: FORWARD has policy DROP and no rule accepts them.',
        decidedBy: { kind: 'policy', ns: HOST, table: 'filter', chain: 'FORWARD', policy: 'DROP' },
        fix: { summary: 'accept forwarding between veth01 and docker0', intents: [{ op: 'forwarding.set', enabled: true }] },
      },
      { code: 'no-masquerade', severity: 'warning', ns: HOST, iface: null, message: 'Nothing masquerades 10.0.0.0/24 on the way out.', decidedBy: null, fix: null, manual: 'add a MASQUERADE rule for 10.0.0.0/24' },
    ],
  });
}

export function reachingResult(): ExplainResult {
  const back = (h: Hop): Hop => ({ ...h, src: h.dst, dst: h.src });
  return ExplainResultSchema.parse({
    ...blockedResult(),
    verdict: 'reaches',
    summary: 'ns1 reaches web.',
    request: [
      ...toWeb,
      hop({ stage: 'forward', ns: HOST, inIface: `${HOST}/12`, outIface: `${HOST}/3`, text: 'accepted in FORWARD', decidedBy: { kind: 'rule', ns: HOST, table: 'filter', chain: 'FORWARD', spec: '-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT' } }),
      hop({ stage: 'bridge', ns: HOST, inIface: `${HOST}/3`, outIface: `${HOST}/10`, text: 'docker0 forwards it to port veth1a2b3c' }),
      hop({ stage: 'deliver', ns: WEB, inIface: `${WEB}/2`, text: 'delivered to web' }),
    ],
    response: [
      back(hop({ stage: 'send', ns: WEB, text: 'echo reply leaves web' })),
      back(hop({ stage: 'veth', ns: HOST, inIface: `${WEB}/2`, outIface: `${HOST}/10`, text: 'eth0 → veth1a2b3c' })),
      back(hop({ stage: 'route', ns: HOST, inIface: `${HOST}/3`, outIface: `${HOST}/12`, text: 'routed back to 10.0.0.0/24 dev veth01' })),
      back(hop({ stage: 'deliver', ns: NS1, inIface: `${NS1}/2`, text: 'delivered to ns1' })),
    ],
    findings: [],
  });
}
