import type { Finding, FindingCode } from '../../../protocol/src/explain.js';
import type { FirewallBackend, FirewallTable } from '../../../protocol/src/firewall.js';
import type { BaseChain } from '../../firewall/ns-firewall.js';
import type { WalkVerdict } from '../../firewall/walk.js';
import { chooseWriter } from '../../firewall/writer-choice.js';
import { forwardAllow, subnetOf } from '../fixes.js';
import { deciderOf } from '../netfilter-hooks.js';
import { nsName } from '../net-index.js';
import type { NetIndex } from '../net-index.js';
import type { Packet } from '../packet.js';
import type { FindingContext } from './context.js';
import { finding } from './context.js';

type FilterBlock = { ns: string; hook: string; station: BaseChain; verdict: WalkVerdict; pkt: Packet; in: string | null; out: string | null; bridged: boolean };

const CODES: Record<string, FindingCode> = {
  forward: 'forward-drop',
  input: 'input-drop',
  output: 'output-drop',
  prerouting: 'prerouting-drop',
  postrouting: 'postrouting-drop',
};

/** Where netloom's own iptables rules go: the backend `iptables-restore` writes to on this host. */
export function writerBackend(idx: NetIndex): FirewallBackend {
  return idx.snapshot.host.iptables === 'legacy' ? 'legacy' : 'nft-compat';
}

/**
 * netloom's ACCEPT in its own FORWARD chain (jumped to first) wins only inside the same iptables
 * FORWARD chain — and only where netloom writes iptables at all (not where it keeps its own
 * nftables table: an accept there ends only that table's chain).
 */
function fixable(idx: NetIndex, b: FilterBlock): boolean {
  const r = b.station.ref;
  const s = idx.snapshot;
  const mine = <T extends { ns: string }>(xs: T[] | undefined): T[] => (xs ?? []).filter((x) => x.ns === b.ns);
  if (chooseWriter({ tables: mine(s.firewallTables), rules: mine(s.rules), chains: mine(s.chains) }) === 'nftables') return false;
  // A snapshot from before issue 12 knows one iptables only: the one netloom writes to.
  const sameSource = r.backend === writerBackend(idx) || idx.snapshot.firewallTables === undefined;
  return sameSource && r.family === 'ip' && r.table === 'filter' && b.station.chain === 'FORWARD';
}

/**
 * Docker's own drops: `--icc=false` (a DROP for -i BRIDGE -o BRIDGE, traffic between two
 * containers of one network) and the isolation chains (traffic between two Docker networks).
 */
function dockerFinding(c: FindingContext, b: FilterBlock): Finding | null {
  const rule = b.verdict.rule;
  if (rule === null || rule.backend === 'nftables') return null;
  const by = deciderOf(b.ns, b.station, b.verdict);
  if (rule.chain.startsWith('DOCKER-ISOLATION')) {
    // netloom's FORWARD chain comes before Docker's (its jump is inserted first): an ACCEPT there
    // lets this pair through until dockerd re-creates its own rules above it (explain then says so).
    const fix = fixable(c.idx, b) ? crossNetworkFix(c, b, 'let {s} reach {d} across Docker networks anyway (an ACCEPT ahead of DOCKER-ISOLATION; Docker may put its rules first again when it restarts)') : null;
    return finding('docker-isolation', b.ns, `Docker isolates its networks from each other: -A ${rule.chain} ${rule.spec} drops traffic from one Docker network to another.`, fix, {
      decidedBy: by,
      manual: 'or connect both containers to one network: docker network connect NETWORK CONTAINER',
    });
  }
  const form = c.idx.fw(b.ns).form(rule);
  const iface = (key: 'iifname' | 'oifname'): string | null => {
    const m = form.matches.find((x) => x.kind === 'cmp' && !x.negated && x.keys.length === 1 && x.keys[0] === key);
    const e = m?.kind === 'cmp' && m.elements.length === 1 ? m.elements[0] : undefined;
    return e?.kind === 'value' ? e.value : null;
  };
  const i = iface('iifname');
  const o = iface('oifname');
  if (i !== null && i === o && (rule.owner === 'docker' || b.bridged)) {
    const net = c.idx.snapshot.runtimeNetworks?.find((n) => n.bridgeName === i);
    return finding(
      'docker-icc',
      b.ns,
      `Containers on ${net ? `the Docker network ${net.name} (bridge ${i})` : `bridge ${i}`} may not talk to each other: the network has inter-container communication off (icc=false), enforced by -A ${rule.chain} ${rule.spec}.`,
      fixable(c.idx, b) ? crossNetworkFix(c, b, `let containers on ${net ? net.name : i} reach each other anyway (an ACCEPT ahead of Docker's icc=false rule; Docker may put its rules first again when it restarts)`, true) : null,
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

function tableOf(c: FindingContext, b: FilterBlock): FirewallTable | undefined {
  const r = b.station.ref;
  return c.idx.snapshot.firewallTables?.find((t) => t.ns === b.ns && t.backend === r.backend && t.family === r.family && t.name === r.table);
}

/** What a person does about a drop netloom will not edit: where it lives and the command that would let this packet pass. */
function manualFor(c: FindingContext, b: FilterBlock, from: string, to: string): string {
  const r = b.station.ref;
  const inside = c.idx.ns(b.ns)?.kind === 'host' ? '' : ` (inside ${nsName(c.idx, b.ns)})`;
  if (r.backend === 'nftables') {
    const owner = tableOf(c, b)?.owner ?? 'user';
    const cmd = `nft insert rule ${r.family} ${r.table} ${b.verdict.rule?.chain ?? b.station.chain} ${from.includes(':') ? 'ip6' : 'ip'} saddr ${from} ${from.includes(':') ? 'ip6' : 'ip'} daddr ${to} accept${inside}`;
    if (owner === 'firewalld') return `this is firewalld's table: allow it with firewall-cmd (a zone, policy or rich rule), not by hand; for a test: ${cmd}`;
    if (owner !== 'user') return `this table belongs to ${owner}: change it through ${owner}; for a test: ${cmd}`;
    return `an accept in netloom's own rules would not help: a drop in any table is final. Accept it in this table: ${cmd}`;
  }
  const tool = `${r.family === 'ip6' ? 'ip6tables' : 'iptables'}${r.backend === 'legacy' && writerBackend(c.idx) !== 'legacy' ? '-legacy' : ''}`;
  const table = r.table === 'filter' ? '' : ` -t ${r.table}`;
  return `allow it in ${b.station.chain}: ${tool}${table} -I ${b.station.chain} -s ${from} -d ${to} -j ACCEPT${inside}`;
}

function whatDrops(c: FindingContext, b: FilterBlock): string {
  const r = b.station.ref;
  const v = b.verdict;
  const verb = v.kind === 'reject' ? 'REJECT' : 'DROP';
  if (r.backend === 'nftables') {
    const t = tableOf(c, b);
    const table = `the nftables table ${r.family} ${r.table}${t && t.owner !== 'user' ? ` (${t.owner}'s)` : ''}`;
    return v.rule !== null ? `the rule "${v.rule.spec}" in chain ${v.rule.chain} of ${table}` : `the policy drop of chain ${b.station.chain} in ${table}`;
  }
  const src = r.backend === 'legacy' && c.idx.snapshot.rules.some((x) => x.ns === b.ns && x.backend !== 'legacy' && x.backend !== undefined) ? ' (legacy iptables)' : '';
  return v.rule !== null ? `the rule -A ${v.rule.chain} ${v.rule.spec}${src}` : `the ${b.station.chain} policy ${verb}${src}`;
}

export function filterFinding(c: FindingContext, b: FilterBlock, dir: 'request' | 'response'): Finding {
  const by = deciderOf(b.ns, b.station, b.verdict);
  const what = whatDrops(c, b);
  const hook = b.hook === 'bridge' ? 'forward' : b.hook;
  const docker = hook === 'forward' ? dockerFinding(c, b) : null;
  if (docker) return docker;
  // The fix names the connection as the request sees it: replies are let through by the same pair.
  const [from, to] = dir === 'request' ? [b.pkt.src, b.pkt.dst] : [b.pkt.dst, b.pkt.src];
  const code = CODES[hook] ?? 'forward-drop';
  const pkt = dir === 'request' ? 'packet' : 'reply';
  if (hook === 'forward') {
    const plain = b.verdict.rule === null ? 'no rule accepts it' : 'a rule drops it';
    const fix = fixable(c.idx, b) && !to.includes(':') && !from.includes(':') ? forwardAllow(c.idx, b.ns, subnetOf(c.idx, from), `${to}/32`) : null;
    return finding(code, b.ns, `${nsName(c.idx, b.ns)} does not forward this ${dir === 'request' ? 'connection' : 'reply'}: ${plain} (${what}).`, fix, {
      decidedBy: by,
      ...(fix ? {} : { manual: manualFor(c, b, from, to) }),
    });
  }
  const where = { input: 'as it arrives for a local socket (input)', output: 'on its way out (output)', prerouting: 'as it comes in, before routing (prerouting)', postrouting: 'as it leaves, after routing (postrouting)' }[hook] ?? hook;
  const dockerNote = b.verdict.rule?.owner === 'docker' && hook !== 'output' ? ' Docker drops packets sent straight to a container from outside its network: publish a port instead.' : '';
  return finding(code, b.ns, `${nsName(c.idx, b.ns)} drops the ${pkt} ${where}: ${what}.${dockerNote}`, null, {
    decidedBy: by,
    manual: manualFor(c, b, from, to),
  });
}
