import { killAllChildren } from '../exec.js';
import { serveConnection } from '../server/connection.js';
import { createHelperCore } from '../server/helper-context.js';
import { stdioTransport } from '../server/stdio-transport.js';
import type { Command } from './command.js';

/**
 * `netloom helper --stdio`: the protocol over stdin/stdout (DESIGN §2). Exits when stdin
 * closes, killing every child it started.
 */
export const helperCommand: Command = {
  name: 'helper',
  usage: 'helper --stdio',
  summary: 'speak the helper protocol (JSON lines) on stdin/stdout',
  run: async (args) => {
    if (args.length !== 1 || args[0] !== '--stdio') {
      process.stderr.write('usage: netloom helper --stdio\n');
      return 2;
    }
    const core = createHelperCore();
    const conn = serveConnection(stdioTransport(process.stdin, process.stdout), core.ctx);
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
