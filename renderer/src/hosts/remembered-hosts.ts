import { z } from 'zod';
import { HostTarget, hostNameOf } from '../../../protocol/src/index.js';

/**
 * Hosts added from this page, remembered in its localStorage so a reload (or the next
 * `netloom serve`) puts them back: where to reach them and their names only — never a password.
 */
const KEY = 'netloom.hosts.v1';
const Remembered = z.array(HostTarget).max(16);

export function rememberedHosts(storage: Storage): HostTarget[] {
  try {
    const parsed = Remembered.safeParse(JSON.parse(storage.getItem(KEY) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function rememberHost(storage: Storage, target: HostTarget): void {
  const rest = rememberedHosts(storage).filter((t) => hostNameOf(t) !== hostNameOf(target));
  storage.setItem(KEY, JSON.stringify([...rest, target].slice(-16)));
}

export function forgetHost(storage: Storage, name: string): void {
  storage.setItem(KEY, JSON.stringify(rememberedHosts(storage).filter((t) => hostNameOf(t) !== name)));
}
