import type { ExplainEndpoint, ExplainParams, ExplainProto, Snapshot } from '../../../protocol/src/index.js';
import { paramsField } from '../../../protocol/src/index.js';

/**
 * The explain form as the person fills it: every field a string, so a half-typed port or
 * address stays on screen. `toParams` turns it into ExplainParams or names the bad field.
 */
export interface EndpointFields {
  kind: 'ns' | 'address' | 'hostPort';
  /** Namespace id ("ns:<inode>") for kind ns. */
  ns: string;
  /** Optional address inside the namespace, or the outside address. */
  ip: string;
  /** Host port for kind hostPort. */
  port: string;
}

export interface ExplainForm {
  src: EndpointFields;
  dst: EndpointFields;
  proto: ExplainProto;
  port: string;
}

/** Form field keys, spelled as the helper's `invalid` paths spell them ("dst.ip", "port"). */
export type FormField = 'src.ns' | 'src.ip' | 'dst.ns' | 'dst.ip' | 'dst.port' | 'port';
export type FormCheck = { ok: true; params: ExplainParams } | { ok: false; field: FormField; message: string };

export const emptyEndpoint = (ns = ''): EndpointFields => ({ kind: 'ns', ns, ip: '', port: '' });

/** Two different namespaces to start from (not the host when there are others), ICMP. */
export function defaultForm(s: Snapshot | null): ExplainForm {
  const ids = (s?.namespaces ?? []).filter((n) => n.kind !== 'host').map((n) => n.id);
  const host = s?.namespaces.find((n) => n.kind === 'host')?.id ?? '';
  const src = ids[0] ?? host;
  const dst = ids.find((id) => id !== src) ?? host;
  return { src: emptyEndpoint(src), dst: emptyEndpoint(dst), proto: 'icmp', port: '' };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Loose on purpose: the helper checks IPv6 for real; this only catches obvious typos. */
const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/;
export const looksLikeIp = (s: string) => IPV4.test(s) || IPV6.test(s);

function parsePort(s: string): number | null {
  if (!/^\d{1,5}$/.test(s.trim())) return null;
  const n = Number(s.trim());
  return n >= 1 && n <= 65535 ? n : null;
}

function endpoint(side: 'src' | 'dst', f: EndpointFields): { ok: true; ep: ExplainEndpoint } | { ok: false; field: FormField; message: string } {
  const ip = f.ip.trim();
  if (f.kind === 'ns') {
    if (f.ns === '') return { ok: false, field: `${side}.ns`, message: 'Pick a namespace.' };
    if (ip !== '' && !looksLikeIp(ip)) return { ok: false, field: `${side}.ip`, message: `“${ip}” is not an IPv4 or IPv6 address.` };
    return { ok: true, ep: ip ? { kind: 'ns', ns: f.ns, ip } : { kind: 'ns', ns: f.ns } };
  }
  if (f.kind === 'address') {
    if (!looksLikeIp(ip)) return { ok: false, field: `${side}.ip`, message: ip ? `“${ip}” is not an IPv4 or IPv6 address.` : 'Type the outside address.' };
    return { ok: true, ep: { kind: 'address', ip } };
  }
  if (side === 'src') return { ok: false, field: 'src.ns', message: 'A host port can only be a destination.' };
  const port = parsePort(f.port);
  if (port === null) return { ok: false, field: 'dst.port', message: 'The host port must be a whole number 1–65535.' };
  if (ip !== '' && !looksLikeIp(ip)) return { ok: false, field: 'dst.ip', message: `“${ip}” is not an IPv4 or IPv6 address.` };
  return { ok: true, ep: ip ? { kind: 'hostPort', port, ip } : { kind: 'hostPort', port } };
}

/** Checks what the helper would check first, so a typo never makes a round trip. */
export function toParams(form: ExplainForm): FormCheck {
  const src = endpoint('src', form.src);
  if (!src.ok) return src;
  const dst = endpoint('dst', form.dst);
  if (!dst.ok) return dst;
  const params: ExplainParams = { src: src.ep, dst: dst.ep, proto: form.proto };
  if (form.proto !== 'icmp') {
    if (dst.ep.kind === 'hostPort' && form.port.trim() === '') params.port = dst.ep.port;
    else {
      const port = parsePort(form.port);
      if (port === null) return { ok: false, field: 'port', message: form.port.trim() ? 'The port must be a whole number 1–65535.' : `${form.proto.toUpperCase()} needs a port.` };
      params.port = port;
    }
  }
  return { ok: true, params };
}

/** A helper `invalid` path ("params.dst.ip", "params.src", "params.port") → the form field to show it under, or null. */
export function formFieldOf(wirePath: string | undefined): FormField | null {
  // The helper's paths start at the message: `params.dst.ip`.
  const path = paramsField(wirePath);
  if (!path) return null;
  const fields: FormField[] = ['src.ns', 'src.ip', 'dst.ns', 'dst.ip', 'dst.port', 'port'];
  const hit = fields.find((f) => path === f || path.startsWith(`${f}.`));
  if (hit) return hit;
  if (path === 'src' || path.startsWith('src.')) return 'src.ns';
  if (path === 'dst' || path.startsWith('dst.')) return 'dst.ns';
  return null;
}
