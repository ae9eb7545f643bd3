/**
 * `172.17.0.2:80`, `10.0.0.5:9000-9010`, `10.0.0.5`, `10.0.0.5-10.0.0.9:80`, `[fd00::2]:80`,
 * and netavark's port range with a base port, `10.88.0.2:9000-9002/9000`.
 */
export function parseToDestination(text: string): { ip: string; port: number | null } | null {
  let ip: string;
  let rest: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (v6 !== null) {
    ip = v6[1] ?? '';
    rest = v6[2];
  } else if ((text.match(/:/g) ?? []).length > 1) {
    ip = text; // a bare IPv6 address, no port
  } else {
    const [addr = '', port] = text.split(':');
    ip = addr;
    rest = port;
  }
  ip = ip.split('-')[0] ?? ''; // an address range: its first address
  if (ip === '') return null;
  if (rest === undefined || rest === '') return { ip, port: null };
  const port = Number(rest.split('/')[0]?.split('-')[0]);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? { ip, port } : null;
}
