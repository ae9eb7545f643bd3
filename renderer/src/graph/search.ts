import type { Snapshot } from '../../../protocol/src/index.js';
import { interfaceAriaLabel, namespaceName, portMappingAriaLabel, portMappingId, portMappingText } from './labels.js';

export interface SearchHit {
  id: string;
  label: string;
  /** What matched: "name", "address 10.0.0.2/24", "MAC …". */
  why: string;
  exact: boolean;
}

const normMac = (s: string) => s.toLowerCase().replace(/[^0-9a-f]/g, '');

/** "8080", ":8080", "tcp/8080", "udp 53" → the protocol (if given) and the port. */
function portQuery(q: string): { proto: string | null; port: number } | null {
  const m = /^(?:(tcp|udp|sctp)[/: ]?)?:?(\d{1,5})$/.exec(q);
  const port = Number(m?.[2]);
  return m && port >= 1 && port <= 65535 ? { proto: m[1] ?? null, port } : null;
}

/**
 * Finds nodes by name (a container's too), a container's image, a process living in a namespace
 * (its command or pid), IP address (with or without its prefix), MAC address (any case, colons
 * optional), or a port (a port mapping's host or target port). Exact matches come first.
 */
export function searchSnapshot(s: Snapshot, query: string, limit = 20): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: SearchHit[] = [];
  const nsName = new Map(s.namespaces.map((n) => [n.id, namespaceName(n)]));
  for (const n of s.namespaces) {
    const names = [namespaceName(n), n.name, n.container?.name, n.container?.id, n.id].filter((x): x is string => !!x);
    const exact = names.some((x) => x.toLowerCase() === q);
    if (exact || names.some((x) => x.toLowerCase().includes(q))) {
      hits.push({ id: n.id, label: `namespace ${namespaceName(n)}`, why: 'name', exact });
      continue;
    }
    // A container by its image: "nginx" finds every nginx container.
    const image = n.container?.image?.toLowerCase();
    if (image !== undefined && image.includes(q)) {
      hits.push({ id: n.id, label: `namespace ${namespaceName(n)}`, why: `image ${n.container?.image ?? ''}`, exact: image === q || image.split(':')[0] === q });
      continue;
    }
    // A namespace by a process living in it: its command ("sleep"), or its pid exactly.
    const proc = (n.processes ?? []).find((p) => String(p.pid) === q || (q.length >= 2 && p.command.toLowerCase().includes(q)));
    if (proc) hits.push({ id: n.id, label: `namespace ${namespaceName(n)}`, why: `process ${proc.command} (pid ${proc.pid})`, exact: String(proc.pid) === q || proc.command.toLowerCase() === q });
  }
  const port = portQuery(q);
  if (port) {
    for (const pm of s.portMappings) {
      if (port.proto !== null && pm.proto !== port.proto) continue;
      const host = port.port >= pm.hostPort && port.port <= (pm.hostPortEnd ?? pm.hostPort);
      if (!host && pm.targetPort !== port.port) continue;
      hits.push({ id: portMappingId(pm), label: portMappingAriaLabel(pm), why: host ? `host port ${portMappingText(pm)}` : `target port ${pm.targetIp}:${pm.targetPort ?? ''}`, exact: host });
    }
  }
  const qMac = normMac(q);
  for (const i of s.interfaces) {
    const label = interfaceAriaLabel(i, nsName.get(i.ns) ?? i.ns);
    const name = i.name.toLowerCase();
    if (name === q || name.includes(q)) {
      hits.push({ id: i.id, label, why: 'name', exact: name === q });
      continue;
    }
    const addr = i.addresses.find((a) => {
      const l = a.toLowerCase();
      return l === q || l.split('/')[0] === q || l.startsWith(q);
    });
    if (addr) {
      const bare = addr.toLowerCase().split('/')[0];
      hits.push({ id: i.id, label, why: `address ${addr}`, exact: bare === q || addr.toLowerCase() === q });
      continue;
    }
    // A MAC needs a few hex digits to mean anything; "a" would match every interface.
    if (i.mac && qMac.length >= 4 && /^[0-9a-f:.-]+$/.test(q) && normMac(i.mac).includes(qMac)) hits.push({ id: i.id, label, why: `MAC ${i.mac}`, exact: normMac(i.mac) === qMac });
  }
  return hits.sort((a, b) => Number(b.exact) - Number(a.exact)).slice(0, limit);
}
