import { ProtocolError } from '../../protocol/src/errors.js';
import { hostPrefix } from '../../protocol/src/host-ids.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';

/**
 * `netloom --host a=… --host b=… explain app-a@a app-b@b` (issue 14): an endpoint on one of the
 * hosts is `NS@HOST` — NS a /run/netns name, `host` (that host's own namespace) or `ns:<inode>`,
 * HOST a `--host` name. Resolved against the merged picture to the id the canvas uses
 * (`host:HOST/ns:…`); an unknown host or a namespace that host does not have is an error naming
 * the field and what there is instead.
 */
export interface HostEndpoint {
  ns: string;
  host: string;
}

export function parseHostEndpoint(text: string, field: 'src' | 'dst'): HostEndpoint {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) {
    throw new ProtocolError('invalid', `${field} "${text}": with several --host, say which host holds the namespace: NAMESPACE@HOST (e.g. app-a@hosta)`, { path: field });
  }
  return { ns: text.slice(0, at), host: text.slice(at + 1) };
}

const nsLabel = (n: Snapshot['namespaces'][number]): string => n.name ?? (n.kind === 'host' ? 'host' : (n.container?.name ?? n.id.replace(/^host:[^/]+\//, '')));

/** The merged picture's id of NS on HOST. */
export function resolveHostEndpoint(merged: Snapshot, ep: HostEndpoint, field: 'src' | 'dst'): string {
  const names = (merged.hosts ?? []).map((h) => h.name);
  if (!names.includes(ep.host)) {
    throw new ProtocolError('not_found', `${field}: no --host is called "${ep.host}" (the hosts: ${names.join(', ')})`, { path: field });
  }
  const prefix = hostPrefix(ep.host);
  const mine = merged.namespaces.filter((n) => n.id.startsWith(prefix));
  const found = ep.ns.startsWith('ns:')
    ? mine.find((n) => n.id === prefix + ep.ns)
    : ep.ns === 'host'
      ? mine.find((n) => n.kind === 'host')
      : mine.find((n) => n.name === ep.ns || n.container?.name === ep.ns);
  if (!found) {
    const there = mine.map(nsLabel).sort().join(', ');
    throw new ProtocolError('not_found', `${field}: host ${ep.host} has no namespace "${ep.ns}" (${there ? `its namespaces: ${there}` : 'it has no picture'})`, { path: field });
  }
  return found.id;
}

/** "app-b on hostb": how the CLI names a namespace of the merged picture. */
export function hostNsLabel(merged: Snapshot, id: string): string {
  const n = merged.namespaces.find((x) => x.id === id);
  const host = /^host:([^/]+)\//.exec(id)?.[1];
  const name = n ? nsLabel(n) : id;
  return host !== undefined ? `${name} on ${host}` : name;
}
