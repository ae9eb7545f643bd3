import type { PortMapping } from '../../../protocol/src/index.js';

/**
 * How to change a forward-port firewalld made, as the firewall-cmd line that removes it. The zone
 * (or policy) is the one whose chain holds the DNAT (`nat_PRE_public_allow` → zone public); a
 * forward-port naming a destination address exists only as a rich rule; one without toaddr
 * redirects to a port of the host itself.
 */
export function firewalldSentence(pm: PortMapping): string {
  const where = placeOf(pm.chains);
  const scope = where ? ` ${where.kind === 'zone' ? `--zone=${where.name}` : `--policy=${where.name}`}` : '';
  const span = pm.hostPortEnd !== undefined ? pm.hostPortEnd - pm.hostPort : 0;
  const range = (start: number) => (span > 0 ? `${start}-${start + span}` : String(start));
  const to = pm.targetPort ?? pm.hostPort;
  const what = `firewalld made this forward-port${where ? ` (${where.kind} ${where.name})` : ''}; it rewrites its table on every reload, so change it with firewall-cmd, not here.`;
  if (pm.hostIp !== null && pm.hostIp !== '0.0.0.0' && pm.hostIp !== '::') {
    const addr = pm.redirect ? '' : ` to-addr="${pm.targetIp}"`;
    const rule = `rule family="${pm.hostIp.includes(':') ? 'ipv6' : 'ipv4'}" destination address="${pm.hostIp}" forward-port port="${range(pm.hostPort)}" protocol="${pm.proto}" to-port="${range(to)}"${addr}`;
    return `${what} It names a destination address, so it is a rich rule: remove it with firewall-cmd${scope} --remove-rich-rule='${rule}' (and again with --permanent if it was saved).`;
  }
  const addr = pm.redirect ? '' : `:toaddr=${pm.targetIp}`;
  return `${what} Remove it with firewall-cmd${scope} --remove-forward-port=port=${range(pm.hostPort)}:proto=${pm.proto}:toport=${range(to)}${addr} (and again with --permanent if it was saved).`;
}

function placeOf(chains: string[]): { kind: 'zone' | 'policy'; name: string } | null {
  for (const c of chains) {
    const m = /^nat_PRE_(policy_)?(.+)_allow$/.exec(c);
    if (m?.[2]) return { kind: m[1] ? 'policy' : 'zone', name: m[2] };
  }
  return null;
}
