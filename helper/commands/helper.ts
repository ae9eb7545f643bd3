import { killAllChildren } from '../exec.js';
import { serveConnection } from '../server/connection.js';
import { createHelperCore } from '../server/helper-context.js';
import type { LineTransport } from '../server/line-transport.js';
import { connectWithToken, readTokenFile } from '../server/socket-client.js';
import { stdioTransport } from '../server/stdio-transport.js';
import type { Command } from './command.js';

const USAGE = 'usage: netloom helper --stdio\n       netloom helper --connect SOCKET --token-file FILE\n';

/** The transport the arguments ask for, or a sentence saying why there is none. */
async function openTransport(args: string[]): Promise<LineTransport | string> {
  if (args.length === 1 && args[0] === '--stdio') return stdioTransport(process.stdin, process.stdout);
  const socket = args[0] === '--connect' ? args[1] : undefined;
  const tokenFile = args[2] === '--token-file' ? args[3] : undefined;
  if (args.length !== 4 || !socket || !tokenFile) return USAGE;
  try {
    const token = readTokenFile(tokenFile);
    const sock = await connectWithToken(socket, token);
    // A Unix socket is a duplex stream: the same line transport as stdin/stdout.
    return stdioTransport(sock, sock);
  } catch (e) {
    return `netloom helper: cannot connect to ${socket}: ${e instanceof Error ? e.message : String(e)}\n`;
  }
}

/**
 * `netloom helper --stdio`: the protocol over stdin/stdout (DESIGN §2).
 * `netloom helper --connect SOCKET --token-file FILE`: the root helper started through
 * pkexec connects back to the desktop app's socket with its one-time token (DESIGN §8).
 * Either way it exits when its input closes, killing every child it started.
 */
export const helperCommand: Command = {
  name: 'helper',
  usage: 'helper --stdio | --connect SOCKET --token-file FILE',
  summary: 'speak the helper protocol (JSON lines) on stdin/stdout or a Unix socket',
  run: async (args) => {
    const transport = await openTransport(args);
    if (typeof transport === 'string') {
      process.stderr.write(transport);
      return 2;
    }
    const core = createHelperCore();
    const conn = serveConnection(transport, core.ctx);
    const stopped = new Promise<string>((resolve) => {
      void conn.closed.then(() => resolve('input closed'));
      // `on`, not `once`: Ctrl-C reaches the whole process group and npm start forwards it
      // again; a second SIGINT must not hit Node's default handler mid-shutdown.
      process.on('SIGINT', () => resolve('SIGINT'));
      process.on('SIGTERM', () => resolve('SIGTERM'));
    });
    await stopped;
    core.stop();
    killAllChildren();
    // Nothing may keep a root helper alive once its client is gone (pending reads, timers).
    setImmediate(() => process.exit(0));
    return 0;
  },
};
