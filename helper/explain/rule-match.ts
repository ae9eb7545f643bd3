import type { SpecOption } from '../firewall/iptables-spec.js';
import { parsePorts } from '../discover/dnat-rule.js';
import type { MatchContext } from './packet.js';
import { cidrHolds } from '../net/ip-addr.js';

/**
 * Does one iptables-save rule match a packet? Every option netloom understands gives yes or no;
 * anything else (marks, rate limits, physdev, sets, string matches…) gives "unknown" with the
 * option named, so the trace says "unknown" rather than guess.
 */
export type Tri = 'yes' | 'no' | 'unknown';
export interface MatchResult {
  result: Tri;
  why?: string;
}

/** Modules whose options we read (or whose loading alone changes nothing). */
const KNOWN_MODULES = new Set(['tcp', 'udp', 'icmp', 'comment', 'conntrack', 'state', 'addrtype', 'multiport']);
const PROTO_NUMBERS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '0': 'all' };

const ifMatches = (pattern: string, name: string | null): boolean =>
  name !== null && (pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : pattern === name);

function portIn(text: string, port: number | null): Tri {
  if (port === null) return 'unknown';
  return parsePorts(text).some((r) => port >= r.start && port <= (r.end ?? r.start)) ? 'yes' : 'no';
}

function addrType(types: string, ip: string, ctx: MatchContext): Tri {
  const local = ctx.isLocal(ip);
  const kinds = types.split(',').map((t) => t.toUpperCase());
  return kinds.some((k) => (k === 'LOCAL' ? local : k === 'UNICAST' ? !local : false)) ? 'yes' : 'no';
}

function ctStates(list: string, ctx: MatchContext): Tri {
  const states = list.split(',').map((s) => s.toUpperCase());
  const has = (s: string): boolean => states.includes(s);
  if (has(ctx.pkt.ct)) return 'yes';
  if (has('DNAT') && ctx.dnat) return 'yes';
  if (has('SNAT') && ctx.snat) return 'yes';
  return 'no';
}

function icmpType(arg: string, ctx: MatchContext): Tri {
  if (ctx.pkt.proto !== 'icmp') return 'no';
  const request = ctx.pkt.ct === 'NEW';
  const a = arg.toLowerCase();
  if (a === 'any') return 'yes';
  if (a === 'echo-request' || a === '8') return request ? 'yes' : 'no';
  if (a === 'echo-reply' || a === '0') return request ? 'no' : 'yes';
  return 'unknown';
}

/** One option (not yet negated) → yes/no/unknown. */
function optionMatches(o: SpecOption, ctx: MatchContext): Tri {
  const arg = o.args[0] ?? '';
  const p = ctx.pkt;
  switch (o.name) {
    case '-s':
    case '--source':
    case '--src':
      return arg.split(',').some((c) => cidrHolds(c, p.src)) ? 'yes' : 'no';
    case '-d':
    case '--destination':
    case '--dst':
      return arg.split(',').some((c) => cidrHolds(c, p.dst)) ? 'yes' : 'no';
    case '-i':
    case '--in-interface':
      return ifMatches(arg, ctx.in) ? 'yes' : 'no';
    case '-o':
    case '--out-interface':
      return ifMatches(arg, ctx.out) ? 'yes' : 'no';
    case '-p':
    case '--protocol': {
      const name = PROTO_NUMBERS[arg] ?? arg.toLowerCase();
      return name === 'all' || name === p.proto ? 'yes' : 'no';
    }
    case '-m':
    case '--match':
      return KNOWN_MODULES.has(arg) ? 'yes' : 'unknown';
    case '-f':
    case '--fragment':
      return 'no'; // our packets are whole
    case '--dport':
    case '--destination-port':
    case '--dports':
      return portIn(arg, p.dport);
    case '--sport':
    case '--source-port':
    case '--sports':
      return portIn(arg, p.sport);
    case '--ports': {
      const d = portIn(arg, p.dport);
      return d === 'yes' ? 'yes' : portIn(arg, p.sport) === 'yes' ? 'yes' : d === 'unknown' || p.sport === null ? 'unknown' : 'no';
    }
    case '--ctstate':
    case '--state':
      return ctStates(arg, ctx);
    case '--ctdir':
      return (arg.toUpperCase() === 'ORIGINAL') === (p.ct === 'NEW') ? 'yes' : 'no';
    case '--dst-type':
      return addrType(arg, p.dst, ctx);
    case '--src-type':
      return addrType(arg, p.src, ctx);
    case '--icmp-type':
      return icmpType(arg, ctx);
    case '--syn':
      return p.proto !== 'tcp' ? 'no' : p.ct === 'NEW' ? 'yes' : 'no';
    case '--comment':
      return 'yes';
    default:
      return 'unknown';
  }
}

/** Options up to the target (`-j`/`-g`); the target's own options (`--to-destination`…) follow it. */
export function matchRule(options: SpecOption[], ctx: MatchContext): MatchResult {
  let unknown: string | null = null;
  for (const o of options) {
    if (o.name === '-j' || o.name === '--jump' || o.name === '-g' || o.name === '--goto') break;
    let r = optionMatches(o, ctx);
    if (r !== 'unknown' && o.negated) r = r === 'yes' ? 'no' : 'yes';
    if (r === 'no') return { result: 'no' };
    if (r === 'unknown' && unknown === null) unknown = `${o.negated ? '! ' : ''}${o.name}${o.args.length ? ' ' + o.args.join(' ') : ''}`;
  }
  return unknown === null ? { result: 'yes' } : { result: 'unknown', why: `netloom cannot evaluate "${unknown}"` };
}
