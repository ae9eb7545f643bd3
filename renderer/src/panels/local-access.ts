import type { PortMapping, Snapshot } from '../../../protocol/src/index.js';

/**
 * Which of this host's addresses answer a port mapping when the host itself connects (issue 15).
 * The OUTPUT DNAT alone serves the host's own addresses; 127.0.0.1 also needs the loopback source
 * rewritten (a MASQUERADE of 127.0.0.0/8, or Docker's `--src-type LOCAL` one) and route_localnet on
 * the target's device — without them a connection to 127.0.0.1 just hangs. A userland proxy
 * (docker-proxy) listens on the port itself and answers on every address.
 */
export function localAccessText(pm: PortMapping, s: Snapshot): string {
  if (!pm.localAccess) return 'not reachable from the host itself (no OUTPUT rule)';
  const port = `:${pm.hostPort}`;
  if (pm.proxyPids?.length) return `reachable at 127.0.0.1${port} and every address of this host (a userland proxy listens on the port)`;
  const loopbackRewritten = s.rules.some(
    (r) =>
      r.ns === pm.ns &&
      // iptables' spelling, or nft's (netloom's own `inet netloom` table on an nftables host)
      ((/-j MASQUERADE(\s|$)/.test(r.spec) && ((r.spec.includes('-s 127.0.0.0/8') && r.spec.includes(`-d ${pm.targetIp}/32`)) || r.spec.includes('--src-type LOCAL'))) ||
        (/\bmasquerade\b/.test(r.spec) && r.spec.includes('saddr 127.0.0.0/8') && r.spec.includes(`daddr ${pm.targetIp} `))),
  );
  if (pm.hostIp !== null && pm.hostIp !== '0.0.0.0') {
    if (!pm.hostIp.startsWith('127.')) return `reachable at ${pm.hostIp}${port} only`;
    return loopbackRewritten ? `reachable at ${pm.hostIp}${port} only` : `${pm.hostIp}${port} will not answer: ${NO_LOOPBACK}`;
  }
  const own = s.interfaces
    .filter((i) => i.ns === pm.ns && i.kind !== 'loopback')
    .flatMap((i) => i.addresses.filter((a) => !a.includes(':')).map((a) => a.split('/')[0] + port));
  const examples = own.length ? ` (${own.slice(0, 3).join(', ')}${own.length > 3 ? ', …' : ''})` : '';
  return loopbackRewritten ? `reachable at 127.0.0.1${port} and at this host's own addresses${examples}` : `reachable at this host's own addresses${examples} — not at 127.0.0.1${port}: ${NO_LOOPBACK}`;
}

const NO_LOOPBACK = 'the kernel drops 127.0.0.1 traffic sent to another namespace unless route_localnet is on for its device and the source is rewritten (netloom does both for mappings it makes)';
