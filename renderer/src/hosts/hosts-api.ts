import { createContext, useContext } from 'react';
import { HOSTS_CAPABILITY } from '../../../protocol/src/index.js';
import type { HelperClient, HostEntry, HostTarget } from '../../../protocol/src/index.js';

/**
 * What the page asks of the host router (protocol/src/host-methods.ts): add, remove, answer
 * sudo's question. Through whichever connection topology.watch opened last.
 */
export interface HostsApi {
  /** Whether this connection has a host router in front of its helper (its init says `hosts`). */
  available(): Promise<boolean>;
  add(target: HostTarget): Promise<HostEntry>;
  remove(name: string): Promise<void>;
  /** Hands the password to the host that asked (null declines); the caller drops its copy. */
  password(name: string, password: string | null): Promise<void>;
}

const notConnected = (): Error => Object.assign(new Error('not connected to netloom'), { code: 'unavailable' });

export function createHostsApi(client: () => HelperClient | null): HostsApi {
  const c = (): HelperClient => {
    const it = client();
    if (it === null) throw notConnected();
    return it;
  };
  return {
    available: async () => {
      const it = client();
      if (it === null) return false;
      return (await it.ready.catch(() => null))?.capabilities.includes(HOSTS_CAPABILITY) ?? false;
    },
    add: async (target) => (await c().call('hosts.add', { target })).host,
    remove: async (name) => void (await c().call('hosts.remove', { name })),
    password: async (name, password) => void (await c().call('hosts.password', { name, password })),
  };
}

export const HostsContext = createContext<HostsApi | null>(null);

export function useHostsApi(): HostsApi | null {
  return useContext(HostsContext);
}
