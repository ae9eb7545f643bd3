import type { ProxyMapping } from './types.js';

/**
 * Parses a docker-proxy command line (NUL-separated /proc/PID/cmdline):
 * `docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 18080 -container-ip 172.17.0.2 -container-port 80`.
 * docker-proxy listens on the host port itself, so the mapping answers the host too (127.0.0.1).
 */
export function parseDockerProxy(cmdline: string, pid: number, ns: string): ProxyMapping | null {
  const argv = cmdline.split('\0').filter((a) => a !== '');
  if (!/(^|\/)docker-proxy$/.test(argv[0] ?? '')) return null;
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(`-${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const proto = opt('proto') ?? 'tcp';
  const hostPort = Number(opt('host-port'));
  const targetPort = Number(opt('container-port'));
  const targetIp = opt('container-ip');
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return null;
  if (!Number.isInteger(hostPort) || !Number.isInteger(targetPort) || targetIp === undefined) return null;
  return { pid, ns, proto, hostIp: opt('host-ip') ?? '0.0.0.0', hostPort, targetIp, targetPort };
}
