import type { z } from 'zod';
import { invalidFromZod, ProtocolError } from '../../protocol/src/errors.js';
import { HostAddParams, HostPasswordParams, HostRemoveParams } from '../../protocol/src/host-methods.js';
import type { MethodName, ResultOf } from '../../protocol/src/methods.js';
import { Methods } from '../../protocol/src/methods.js';
import type { HostSet } from './host-set.js';

export type HostMethod = Extract<MethodName, `hosts.${string}`>;

export const isHostMethod = (method: string): method is HostMethod => method.startsWith('hosts.') && Object.prototype.hasOwnProperty.call(Methods, method);

function parse<T>(schema: z.ZodType<T>, params: unknown): T {
  const r = schema.safeParse(params ?? {});
  if (!r.success) throw invalidFromZod(r.error, 'params');
  return r.data;
}

/**
 * `hosts.add`, `hosts.remove`, `hosts.list`, `hosts.password` (protocol/src/host-methods.ts),
 * answered in front of the local helper. Each validated before anything happens; a bad one is
 * refused alone (its own error, nothing else closed). The password goes to the host that asked
 * and is not kept, logged or echoed here.
 */
export async function answerHostMethod<M extends HostMethod>(hosts: HostSet, method: M, params: unknown): Promise<ResultOf<M>> {
  return (await answer(hosts, method, params)) as ResultOf<M>;
}

async function answer(hosts: HostSet, method: HostMethod, params: unknown): Promise<unknown> {
  switch (method) {
    case 'hosts.list':
      parse(Methods['hosts.list'].params, params);
      return { hosts: hosts.entries() };
    case 'hosts.add': {
      const { target } = parse(HostAddParams, params);
      return { host: hosts.add(target).entry() };
    }
    case 'hosts.remove': {
      const { name } = parse(HostRemoveParams, params);
      if (!hosts.remove(name)) throw new ProtocolError('not_found', `no host "${name}" on this canvas`, { path: 'params.name' });
      return { removed: true };
    }
    case 'hosts.password': {
      const p = parse(HostPasswordParams, params);
      const host = hosts.hosts.get(p.name);
      if (host === undefined) throw new ProtocolError('not_found', `no host "${p.name}" on this canvas`, { path: 'params.name' });
      if (!host.answerPassword(p.password)) throw new ProtocolError('conflict', `${p.name} is not asking for a password now`, { path: 'params.name' });
      return { ok: true };
    }
  }
}
