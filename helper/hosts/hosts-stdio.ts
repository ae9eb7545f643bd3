import type { Transport } from '../../protocol/src/client.js';
import type { LineTransport } from '../server/line-transport.js';
import { CoreMux } from './core-mux.js';
import type { HostSet } from './host-set.js';
import { openDoor } from './page-door.js';
import { newHostSet } from './serve-hosts.js';

/**
 * The desktop app's host layer (issue 14, `netloom hosts --stdio`): the page's door, as in browser
 * mode (page-door.ts), with the page on one line transport and the local helper core on another
 * that main joins to the root helper. The door's connections to the core (its direct one, then the
 * router's) share that one through a CoreMux. Runs as the user: ssh with their config, keys, agent
 * and known_hosts; nothing here runs a privileged program.
 */
export interface HostsSession {
  hosts: HostSet;
  /** Settles when the page's input ends (code 0) or the core's connection does (code 1, with why). */
  ended: Promise<{ code: number; reason: string }>;
}

export function serveHostsStdio(page: LineTransport, core: Transport, sshConfig: string | undefined, log: (line: string) => void): HostsSession {
  const mux = new CoreMux(core, log);
  const hosts = newHostSet([], sshConfig);
  hosts.start();
  const ended = new Promise<{ code: number; reason: string }>((resolve) => {
    page.onClose(() => resolve({ code: 0, reason: 'the page input ended' }));
    mux.onClose((why) => resolve({ code: 1, reason: `the helper core on fd 3 is gone (${why})` }));
  });
  openDoor(page, hosts, () => mux.open());
  return { hosts, ended };
}
