import { resolve } from 'node:path';
import { killAllChildren, systemExec } from '../exec.js';
import { startBrowserServer } from '../serve/browser-server.js';
import { openBrowser } from '../serve/open-browser.js';
import { parseServeArgs } from '../serve/serve-args.js';
import type { ServeArgs } from '../serve/serve-args.js';
import { createHelperCore } from '../server/helper-context.js';
import { holdWarm } from '../watch/warm-start.js';
import type { Command } from './command.js';

/** The bundle is out/helper/netloom.cjs; the renderer build sits beside it in out/renderer. */
function rendererDir(): string {
  return resolve(__dirname, '..', 'renderer');
}

/** Remote hosts on the same canvas (`--host`, or added from the page later: issue 14). */
async function withHosts(ctx: ReturnType<typeof createHelperCore>['ctx'], opts: ServeArgs) {
  const { serveWithHosts } = await import('../hosts/serve-hosts.js');
  return serveWithHosts(ctx, opts.hosts, opts.sshConfig);
}

/** `netloom serve`: browser mode (DESIGN §8, §9) — the same UI over a WebSocket on 127.0.0.1. */
export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--port P] [--no-open] [--host DEST]…',
  summary: 'browser mode: the UI at a printed http://127.0.0.1 URL',
  run: async (args) => {
    let opts: ServeArgs;
    try {
      opts = parseServeArgs(args);
    } catch (e) {
      process.stderr.write(`netloom serve: ${(e as Error).message}\nusage: netloom serve [--port P] [--no-open]\n`);
      return 2;
    }
    const core = createHelperCore();
    let server;
    let remote: Awaited<ReturnType<typeof withHosts>> | null = null;
    try {
      remote = await withHosts(core.ctx, opts);
      server = await startBrowserServer({ port: opts.port, rendererDir: rendererDir(), ctx: core.ctx, route: remote.route });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'EADDRINUSE' ? `port ${opts.port} is in use; pick another with --port (0 = any free port)` : err.message;
      process.stderr.write(`netloom serve: ${why}\n`);
      return 1;
    }
    // Captures on the helper's own loopback leave this WebSocket's traffic out by default.
    core.ctx.browserPort = server.port;
    // Read the host while the browser loads the page.
    const releaseWarm = holdWarm(core.ctx.topology, 30_000, core.ctx.log);
    process.stdout.write(`netloom is at ${server.url}\n`);
    if (opts.open) {
      const why = await openBrowser(systemExec, server.url);
      if (why) process.stderr.write(`netloom serve: ${why}\n`);
    }
    const signal = await new Promise<string>((res) => {
      // `on`, not `once`: Ctrl-C reaches the whole process group and npm start forwards it
      // again; a second SIGINT must not hit Node's default handler mid-shutdown.
      process.on('SIGINT', () => res('SIGINT'));
      process.on('SIGTERM', () => res('SIGTERM'));
    });
    process.stderr.write(`netloom serve: ${signal}, shutting down\n`);
    releaseWarm();
    remote?.hosts.close();
    core.stop();
    killAllChildren();
    await server.close();
    setImmediate(() => process.exit(0));
    return 0;
  },
};
