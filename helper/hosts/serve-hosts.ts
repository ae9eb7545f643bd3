import { resolve } from 'node:path';
import type { Transport } from '../../protocol/src/client.js';
import { parseHostArg, type HostTarget } from '../../protocol/src/hosts.js';
import { serveConnection } from '../server/connection.js';
import type { ServerContext } from '../server/context.js';
import type { LineTransport } from '../server/line-transport.js';
import { HostSet } from './host-set.js';
import { memoryPair } from './memory-pair.js';
import { openDoor } from './page-door.js';

/** `--host [NAME=]DEST`, as the CLI takes it. */
export function parseHostFlag(text: string): HostTarget {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/.exec(text);
  return m ? parseHostArg(m[2] as string, m[1]) : parseHostArg(text);
}

/** The remote hosts of one session (`--host` given, or none yet), ssh reading `sshConfig` if given; not started. */
export function newHostSet(hostArgs: readonly string[], sshConfig: string | undefined): HostSet {
  return new HostSet(hostArgs.map(parseHostFlag), sshConfig !== undefined ? { configFile: resolve(sshConfig) } : {});
}

/**
 * `netloom serve` (issue 14): the remote hosts — given with --host, or added from the page
 * later — kept for the server's life, and for each page a door (page-door.ts) to its own
 * connection to the local helper core, through the host router once there are hosts.
 */
export function serveWithHosts(ctx: ServerContext, hostArgs: readonly string[], sshConfig: string | undefined): { route: (t: LineTransport) => void; hosts: HostSet } {
  const hosts = newHostSet(hostArgs, sshConfig);
  hosts.start();
  const route = (page: LineTransport): void => {
    const core = (): Transport => {
      const [mine, theirs] = memoryPair();
      // The helper's streams coalesce when the page's socket is backed up, as without the door.
      serveConnection({ ...theirs, ...(page.bufferedAmount ? { bufferedAmount: () => page.bufferedAmount?.() ?? 0 } : {}) }, ctx);
      return mine;
    };
    openDoor(page, hosts, core);
  };
  return { route, hosts };
}
