import { existsSync } from 'node:fs';
import { listNamespaces } from '../discover/namespaces.js';
import type { NsTarget } from '../discover/ns-target.js';

/**
 * The CLI's `--ns` argument — a /run/netns name, `host`, or `ns:<inode>` — resolved with one
 * namespace scan. The returned resolver re-checks that a named namespace's file still exists,
 * so `ip netns delete` under a running capture ends it 'namespace-gone'.
 */
export async function resolveNsArg(arg: string): Promise<{ target: NsTarget; resolve: (id: string) => NsTarget | undefined } | string> {
  const found = await listNamespaces();
  const f =
    arg === 'host'
      ? found.find((x) => x.kind === 'host')
      : /^ns:\d+$/.test(arg)
        ? found.find((x) => x.target.id === arg)
        : found.find((x) => x.name === arg);
  if (f === undefined) {
    const names = found.flatMap((x) => (x.name !== null ? [x.name] : [])).join(', ');
    return `no network namespace "${arg}" (use host, a /run/netns name${names ? ` — ${names}` : ''} — or ns:<inode>)`;
  }
  const target = f.target;
  const resolve = (id: string): NsTarget | undefined => {
    if (id !== target.id) return undefined;
    if (target.name !== null && !target.own && !existsSync(target.path)) return undefined;
    return target;
  };
  return { target, resolve };
}
