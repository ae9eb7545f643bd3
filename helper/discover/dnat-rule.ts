import { findOption, type SpecOption } from '../firewall/iptables-spec.js';
import { hostOf } from './ipv4-match.js';
import { parseToDestination } from '../firewall/nat-target.js';

export { parseToDestination };

/**
 * What one DNAT rule publishes, read from its spec and the specs of the jump rules that led
 * to it (a condition on the way, e.g. netavark's `-p tcp --dport 8081 -j NETAVARK-DN-…`,
 * holds for the DNAT too).
 */

export type Proto = 'tcp' | 'udp' | 'sctp';

export interface PortRange {
  start: number;
  /** Set for a range (`--dport 8000:8010`). */
  end?: number;
}

export interface DnatRead {
  proto: Proto;
  ports: PortRange[];
  /** The host address the rule is limited to, `0.0.0.0` when none. */
  hostIp: string;
  targetIp: string;
  /** First port of `--to-destination IP:PORT[-PORT]`; null when the rule keeps the port. */
  targetPort: number | null;
}

const PROTO_NUMBERS: Record<string, Proto> = { '6': 'tcp', '17': 'udp', '132': 'sctp' };

/**
 * Reads a DNAT. `chain` is the jump rules' options, outermost first. Null when the rule is
 * not a port mapping: no protocol, no destination port (a whole-address DNAT), a negated
 * port or protocol, or an unreadable `--to-destination`.
 */
export function readDnat(dnat: SpecOption[], chain: SpecOption[][]): DnatRead | null {
  const scopes = [dnat, ...chain.slice().reverse()];
  const lookup = (name: string): SpecOption | undefined => {
    for (const options of scopes) {
      const o = findOption(options, name);
      if (o !== undefined) return o;
    }
    return undefined;
  };
  const p = lookup('-p');
  const protoText = p?.args[0]?.toLowerCase();
  if (p === undefined || p.negated || protoText === undefined) return null;
  const proto = protoText === 'tcp' || protoText === 'udp' || protoText === 'sctp' ? protoText : PROTO_NUMBERS[protoText];
  if (proto === undefined) return null;

  const portOpt = lookup('--dport') ?? lookup('--dports');
  if (portOpt === undefined || portOpt.negated || portOpt.args[0] === undefined) return null;
  const ports = parsePorts(portOpt.args[0]);
  if (ports.length === 0) return null;

  const to = findOption(dnat, '--to-destination')?.args[0];
  const target = to === undefined ? null : parseToDestination(to);
  if (target === null) return null;

  return { proto, ports, hostIp: hostIpOf(scopes), targetIp: target.ip, targetPort: target.port };
}

/** The innermost non-negated `-d` on the way, as an address (/32) or CIDR. */
function hostIpOf(scopes: SpecOption[][]): string {
  for (const options of scopes) {
    const d = options.find((o) => (o.name === '-d' || o.name === '--destination') && !o.negated);
    if (d?.args[0] !== undefined) return hostOf(d.args[0]);
  }
  return '0.0.0.0';
}

/** `80`, `8000:8010`, multiport `80,443,9000:9010`. Unreadable parts are dropped. */
export function parsePorts(text: string): PortRange[] {
  const out: PortRange[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d*)(?::(\d*))?$/.exec(part);
    if (m === null || part === '') continue;
    const start = m[1] === '' ? 0 : Number(m[1]);
    if (m[2] === undefined) {
      if (start <= 65535) out.push({ start });
      continue;
    }
    const end = m[2] === '' ? 65535 : Number(m[2]);
    if (start > 65535 || end > 65535 || end < start) continue;
    out.push(start === end ? { start } : { start, end });
  }
  return out;
}

