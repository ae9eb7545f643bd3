import type { Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import type { EndpointFields, ExplainForm } from './endpoint-form.js';

/** The first address of an interface a packet could be sent to (IPv4 first, no link-local). */
export function usableAddress(addresses: readonly string[]): string {
  const plain = addresses.map((a) => a.split('/')[0] ?? a);
  return plain.find((a) => a.includes('.') && !a.startsWith('127.')) ?? plain.find((a) => a.includes(':') && !a.toLowerCase().startsWith('fe80') && a !== '::1') ?? '';
}

/** A selected namespace or interface as an endpoint: an interface picks its namespace and its address. */
export function endpointOf(s: Snapshot, id: string): EndpointFields | null {
  const iface = s.interfaces.find((i) => i.id === id);
  if (iface) return { kind: 'ns', ns: iface.ns, ip: usableAddress(iface.addresses), port: '' };
  const ns = s.namespaces.find((n) => n.id === id);
  return ns ? { kind: 'ns', ns: ns.id, ip: '', port: '' } : null;
}

/** The selected namespaces/interfaces that can be endpoints, in selection order. */
export function selectableEndpoints(s: Snapshot | null, ids: readonly string[]): string[] {
  if (!s) return [];
  return ids.filter((id) => endpointOf(s, id) !== null);
}

/**
 * "Explain between the two selected": the first is the source, the second the destination;
 * protocol and port stay as the form had them. Null unless exactly two endpoints are selected.
 */
export function formFromSelection(s: Snapshot, ids: readonly string[], base: ExplainForm): ExplainForm | null {
  const picked = selectableEndpoints(s, ids);
  if (picked.length !== 2) return null;
  const src = endpointOf(s, picked[0] as string);
  const dst = endpointOf(s, picked[1] as string);
  if (!src || !dst) return null;
  return { ...base, src, dst };
}

/** How the explain menu names a node: "ns1", "eth0 in ns1"; null when it cannot be an endpoint. */
export function endpointLabel(s: Snapshot, id: string): string | null {
  const iface = s.interfaces.find((i) => i.id === id);
  const ns = s.namespaces.find((n) => n.id === (iface ? iface.ns : id));
  if (!ns) return null;
  return iface ? `${iface.name} in ${namespaceName(ns)}` : namespaceName(ns);
}
