import { HostTarget } from '../../../protocol/src/index.js';
import type { HostEntry } from '../../../protocol/src/index.js';
import { hostNameOf } from '../../../protocol/src/index.js';

export interface AddHostErrors {
  destination?: string;
  name?: string;
  /** Not about one field (the cap on hosts, the connection). */
  form?: string;
}

export type AddHostCheck = { ok: true; target: HostTarget } | { ok: false; errors: AddHostErrors };

/**
 * The Add host form's two fields → a HostTarget, checked by the protocol's own schema before
 * anything is sent; each problem under the field it is about. `host:2222` and `[v6]:2222` carry a
 * port (as protocol/src/hosts.ts parseHostArg reads them).
 */
export function checkAddHost(destination: string, name: string, onCanvas: readonly HostEntry[]): AddHostCheck {
  const dest = destination.trim();
  if (dest === '') return { ok: false, errors: { destination: 'type where ssh reaches the host: user@host, host:2222 or an alias from your ssh config' } };
  let port: number | undefined;
  let where = dest;
  const m = /^(.*?):(\d{1,6})$/.exec(dest);
  if (m && m[1] !== undefined && m[2] !== undefined && (!m[1].includes(':') || m[1].endsWith(']'))) {
    where = m[1];
    port = Number(m[2]);
    if (port < 1 || port > 65535) return { ok: false, errors: { destination: `port ${m[2]} is not a TCP port (1–65535)` } };
  }
  const wanted = name.trim();
  const parsed = HostTarget.safeParse({ destination: where, ...(port !== undefined ? { port } : {}), ...(wanted !== '' ? { name: wanted } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'name' ? 'name' : 'destination';
    return { ok: false, errors: { [field]: issue?.message ?? 'not valid' } };
  }
  const canvasName = hostNameOf(parsed.data);
  if (canvasName === 'local' || onCanvas.some((h) => h.name === canvasName)) {
    return { ok: false, errors: { name: `"${canvasName}" is already on the canvas: give this host another name` } };
  }
  return { ok: true, target: parsed.data };
}

/** A refusal from the router, under the field its path names (`params.target.name`, …). */
export function errorsFromServer(e: { message: string; path?: string }): AddHostErrors {
  if (e.path?.startsWith('params.target.name')) return { name: e.message };
  if (e.path?.startsWith('params.target')) return { destination: e.message };
  return { form: e.message };
}
