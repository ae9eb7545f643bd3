import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { killAllChildren } from '../exec.js';
import { stdioTransport } from '../server/stdio-transport.js';
import type { Command } from './command.js';

const USAGE = 'usage: netloom hosts --stdio [--ssh-config FILE]\n';
/** How long remote helpers get to end (their input closed, copies removed) before this process exits anyway. */
const CLOSE_HOSTS_MS = 5000;

function parseArgs(args: string[]): { sshConfig?: string } | null {
  if (args[0] !== '--stdio') return null;
  if (args.length === 1) return {};
  if (args.length === 3 && args[1] === '--ssh-config' && args[2] !== undefined && args[2] !== '') return { sshConfig: args[2] };
  return null;
}

/** File descriptor 3, the duplex connection to the local helper core that the desktop app's main hands over. */
function openCoreFd(): Socket | string {
  try {
    fstatSync(3);
    return new Socket({ fd: 3, readable: true, writable: true });
  } catch (e) {
    return `file descriptor 3 is not a connection to the helper core (${e instanceof Error ? e.message : String(e)}): start this from the desktop app, which joins fd 3 to its root helper`;
  }
}

/**
 * `netloom hosts --stdio [--ssh-config FILE]` (issue 14): the desktop app's host layer, run as the
 * user. The page's protocol on stdin/stdout, the local helper core's on fd 3 (main splices it to
 * the root helper); remote hosts come from the page (`hosts.add`). Logs go to stderr only. Exits 0
 * when stdin ends, after closing every ssh session (remote helpers exit and remove their copies);
 * exits 1 with a one-line reason on stderr when fd 3 ends (the core is gone: main restarts it).
 */
export const hostsCommand: Command = {
  name: 'hosts',
  usage: 'hosts --stdio [--ssh-config FILE]',
  summary: 'the desktop app\'s host layer: the page on stdio, the helper core on fd 3',
  run: async (args) => {
    const opts = parseArgs(args);
    if (opts === null) {
      process.stderr.write(USAGE);
      return 2;
    }
    const fd3 = openCoreFd();
    if (typeof fd3 === 'string') {
      process.stderr.write(`netloom hosts: ${fd3}\n`);
      return 2;
    }
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const [{ serveHostsStdio }, { holdWhileCongested }] = await Promise.all([import('../hosts/hosts-stdio.js'), import('../hosts/hold-while-congested.js')]);
    const page = holdWhileCongested(stdioTransport(process.stdin, process.stdout), (cb) => void process.stdout.on('drain', cb), fd3);
    const session = serveHostsStdio(page, stdioTransport(fd3, fd3), opts.sshConfig, log);
    const { code, reason } = await new Promise<{ code: number; reason: string }>((resolve) => {
      void session.ended.then(resolve);
      process.on('SIGTERM', () => resolve({ code: 0, reason: 'SIGTERM' }));
      process.on('SIGINT', () => resolve({ code: 0, reason: 'SIGINT' }));
    });
    if (code !== 0) log(`netloom hosts: ${reason}`);
    await session.hosts.closeAndWait(CLOSE_HOSTS_MS);
    killAllChildren();
    // The cancels of what the page left open on the core go out before fd 3 closes (main keeps that helper).
    await new Promise<void>((resolve) => {
      fd3.end(() => resolve());
      setTimeout(resolve, 1000).unref();
    });
    setImmediate(() => process.exit(code));
    return code;
  },
};
