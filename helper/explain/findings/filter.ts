import type { Finding } from '../../../protocol/src/explain.js';
import { deciderOf } from '../chain-walk.js';
import type { Verdict } from '../chain-walk.js';
import { parseSpec } from '../../firewall/iptables-spec.js';
import { optionValue } from '../../firewall/iptables-spec.js';
import { forwardAllow, subnetOf } from '../fixes.js';
import { nsName } from '../net-index.js';
import type { Packet } from '../packet.js';
import type { FindingContext } from './context.js';
import { finding } from './context.js';

type FilterBlock = { ns: string; chain: string; verdict: Verdict; pkt: Packet; in: string | null; out: string | null; bridged: boolean };

/**
 * Docker's own drops: `--icc=false` (a DROP for -i BRIDGE -o BRIDGE, traffic between two
 * containers of one network) and the isolation chains (traffic between two Docker networks).
 */
function dockerFinding(c: FindingContext, b: FilterBlock): Finding | null {
  const rule = b.verdict.rule;
  if (rule === null) return null;
  const by = deciderOf(b.ns, 'filter', b.chain, b.verdict);
  if (rule.chain.startsWith('DOCKER-ISOLATION')) {
    // netloom's FORWARD chain comes before Docker's (its jump is inserted first): an ACCEPT there
    // lets this pair through until dockerd re-creates its own rules above it (explain then says so).
    const fix = crossNetworkFix(c, b, 'let {s} reach {d} across Docker networks anyway (an ACCEPT ahead of DOCKER-ISOLATION; Docker may put its rules first again when it restarts)');
    return finding('docker-isolation', b.ns, `Docker isolates its networks from each other: -A ${rule.chain} ${rule.spec} drops traffic from one Docker network to another.`, fix, {
      decidedBy: by,
      manual: 'or connect both containers to one network: docker network connect NETWORK CONTAINER',
    });
  }
  const opts = parseSpec(rule.spec);
  const i = optionValue(opts, '-i');
  const o = optionValue(opts, '-o');
  if (i !== null && i === o && (rule.owner === 'docker' || b.bridged)) {
    const net = c.idx.snapshot.runtimeNetworks?.find((n) => n.bridgeName === i);
    return finding(
      'docker-icc',
      b.ns,
      `Containers on ${net ? `the Docker network ${net.name} (bridge ${i})` : `bridge ${i}`} may not talk to each other: the network has inter-container communication off (icc=false), enforced by -A ${rule.chain} ${rule.spec}.`,
      crossNetworkFix(c, b, `let containers on ${net ? net.name : i} reach each other anyway (an ACCEPT ahead of Docker's icc=false rule; Docker may put its rules first again when it restarts)`, true),
      {
        decidedBy: by,
        manual: `or recreate the network with icc on (docker network create -o com.docker.network.bridge.enable_icc=true …), or publish the port and connect through the host`,
      },
    );
  }
  return null;
}

/** forward.allow for the pair's subnets (IPv4 only); `{s}`/`{d}` in the summary name them. */
function crossNetworkFix(c: FindingContext, b: FilterBlock, summary: string, sameSubnet = false): Finding['fix'] {
  if (b.pkt.src.includes(':') || b.pkt.dst.includes(':')) return null;
  const source = subnetOf(c.idx, b.pkt.src);
  const destination = sameSubnet ? source : subnetOf(c.idx, b.pkt.dst);
  const plan = forwardAllow(c.idx, b.ns, source, destination);
  return { ...plan, summary: summary.replace('{s}', source).replace('{d}', destination) };
}

export function filterFinding(c: FindingContext, b: FilterBlock, dir: 'request' | 'response'): Finding {
  const by = deciderOf(b.ns, 'filter', b.chain, b.verdict);
  const what = b.verdict.rule !== null ? `the rule -A ${b.verdict.rule.chain} ${b.verdict.rule.spec}` : `the ${b.chain} policy ${b.verdict.kind === 'drop' ? 'DROP' : 'REJECT'}`;
  const icc = b.chain === 'FORWARD' ? dockerFinding(c, b) : null;
  if (icc) return icc;
  if (b.chain === 'FORWARD') {
    // The fix names the connection as the request sees it: replies are let through by the same pair.
    const [from, to] = dir === 'request' ? [b.pkt.src, b.pkt.dst] : [b.pkt.dst, b.pkt.src];
    const source = subnetOf(c.idx, from);
    const destination = `${to}/32`;
    const plain = b.verdict.rule === null ? 'no rule accepts it' : 'a rule drops it';
    return finding(
      'forward-drop',
      b.ns,
      `${nsName(c.idx, b.ns)} does not forward this ${dir === 'request' ? 'connection' : 'reply'}: ${plain} (${what}).`,
      to.includes(':') || from.includes(':') ? null : forwardAllow(c.idx, b.ns, source, destination),
      { decidedBy: by },
    );
  }
  const table = b.verdict.rule?.table ?? 'filter';
  const docker = b.verdict.rule?.owner === 'docker' ? ' Docker drops packets sent straight to a container from outside its network: publish a port instead.' : '';
  return finding('input-drop', b.ns, `${nsName(c.idx, b.ns)} drops the ${dir === 'request' ? 'packet' : 'reply'} in its ${table === 'filter' ? '' : `${table} `}${b.chain} chain (${what}).${docker}`, null, {
    decidedBy: by,
    manual: `allow it in ${b.chain}, e.g. iptables${table === 'filter' ? '' : ` -t ${table}`} -I ${b.chain} -s ${b.pkt.src} -j ACCEPT${c.idx.ns(b.ns)?.kind === 'host' ? '' : ` (inside ${nsName(c.idx, b.ns)})`}`,
  });
}
