import { resolve } from 'node:path';
import { HelperClient } from '../../protocol/src/client.js';
import { parseHostArg, type HostTarget } from '../../protocol/src/hosts.js';
import { serveConnection } from '../server/connection.js';
import type { ServerContext } from '../server/context.js';
import type { LineTransport } from '../server/line-transport.js';
import { HostSet } from './host-set.js';
import { routeConnection } from './host-router.js';
import { memoryPair } from './memory-pair.js';

/** `--host [NAME=]DEST`, as the CLI takes it. */
export function parseHostFlag(text: string): HostTarget {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/.exec(text);
  return m ? parseHostArg(m[2] as string, m[1]) : parseHostArg(text);
}

/**
 * `netloom serve --host …` (issue 14): the remote hosts, connected once for the server's life,
 * and for each page a router in front of its own connection to the local helper core.
 */
export function serveWithHosts(ctx: ServerContext, hostArgs: readonly string[], sshConfig: string | undefined): { route: (t: LineTransport) => void; hosts: HostSet } {
  const hosts = new HostSet(hostArgs.map(parseHostFlag), sshConfig !== undefined ? { configFile: resolve(sshConfig) } : {});
  hosts.start();
  const route = (page: LineTransport): void => {
    const [mine, core] = memoryPair();
    serveConnection(core, ctx);
    routeConnection(page, new HelperClient(mine), hosts);
  };
  return { route, hosts };
}
