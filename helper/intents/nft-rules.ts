import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { NftOwnRule } from './nft-own.js';

/**
 * netloom's rules in nft's own spelling, for its `inet netloom` table: the same port mapping,
 * MASQUERADE and forward accept as the iptables writer makes (DESIGN §6; 127.0.0.1's part is localnet.ts's), each tagged
 * `comment "netloom:<id>"`. An inet table sees both families, so each address match names its
 * family (`ip`/`ip6`), which also limits the rule to it.
 */
const fam = (ip: string): 'ip' | 'ip6' => (ip.includes(':') ? 'ip6' : 'ip');
const tag = (id: string): string => `comment "netloom:${id}"`;
const hostAddr = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip);
/** A range nft maps port by port: no shifted ranges (iptables' `…/BASE`), so one rule per port, up to this many. */
export const MAX_NFT_RANGE = 256;

function ports(p: IntentOf<'portmap.add'>, at: string): { host: number; target: number }[] {
  const span = (p.hostPortEnd ?? p.hostPort) - p.hostPort;
  if (span + 1 > MAX_NFT_RANGE) {
    throw new ProtocolError('invalid', `a port range of ${span + 1} ports: netloom's nftables rules map a range port by port, at most ${MAX_NFT_RANGE}`, { path: `${at}.hostPortEnd` });
  }
  return Array.from({ length: span + 1 }, (_, i) => ({ host: p.hostPort + i, target: p.targetPort + i }));
}

export function nftPortmapRules(p: IntentOf<'portmap.add'>, id: string, at: string): NftOwnRule[] {
  const f = fam(p.targetIp);
  const one = p.hostIp !== undefined && p.hostIp !== '0.0.0.0' && p.hostIp !== '::';
  const where = one ? `${fam(p.hostIp ?? '')} daddr ${p.hostIp}` : 'fib daddr type local';
  const rules: NftOwnRule[] = [];
  for (const { host, target } of ports(p, at)) {
    const dnat = `${where} meta l4proto ${p.proto} th dport ${host} dnat ${f} to ${hostAddr(p.targetIp)}:${target} ${tag(id)}`;
    rules.push({ chain: 'prerouting', text: dnat, id });
    if (p.localAccess !== false) rules.push({ chain: 'output', text: dnat, id });
  }
  const [first] = ports(p, at);
  const last = (p.hostPortEnd ?? p.hostPort) - p.hostPort + p.targetPort;
  const tport = first && last !== first.target ? `${first.target}-${last}` : String(p.targetPort);
  const t = `${f} daddr ${p.targetIp} meta l4proto ${p.proto} th dport ${tport}`;
  // Hairpin: the target reaching its own mapped port must see the host as the source.
  rules.push({ chain: 'postrouting', text: `${f} saddr ${p.targetIp} ${t} masquerade ${tag(id)}`, id });
  rules.push({ chain: 'forward', text: `${t} accept ${tag(id)}`, id });
  rules.push({ chain: 'forward', text: `${f} saddr ${p.targetIp} meta l4proto ${p.proto} th sport ${tport} ct state established,related accept ${tag(id)}`, id });
  return rules;
}

export function nftMasqueradeRules(m: IntentOf<'nat.masquerade.add'>, id: string): NftOwnRule[] {
  const f = fam(m.source);
  const parts = [`${f} saddr ${m.source}`];
  if (m.notDestination !== undefined) parts.push(`${f} daddr != ${m.notDestination}`);
  if (m.outDev !== undefined) parts.push(`oifname "${m.outDev}"`);
  return [{ chain: 'postrouting', text: `${parts.join(' ')} masquerade ${tag(id)}`, id }];
}

export function nftForwardAllowRules(a: IntentOf<'forward.allow'>, id: string): NftOwnRule[] {
  const f = fam(a.source);
  const there = a.destination !== undefined ? ` ${f} daddr ${a.destination}` : '';
  const back = a.destination !== undefined ? `${f} saddr ${a.destination} ` : '';
  return [
    { chain: 'forward', text: `${f} saddr ${a.source}${there} accept ${tag(id)}`, id },
    { chain: 'forward', text: `${back}${f} daddr ${a.source} ct state established,related accept ${tag(id)}`, id },
  ];
}
