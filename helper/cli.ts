import { resolve } from 'node:path';
import type { Command } from './commands/command.js';

/**
 * `netloom COMMAND …` (DESIGN §9). Every front door shares the same helper core.
 * Commands load on demand: `snapshot` should not pay for starting the web server's or
 * the capture decoder's modules (start-up is most of a one-shot command's time).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  snapshot: async () => (await import('./commands/snapshot.js')).snapshotCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  hosts: async () => (await import('./commands/hosts.js')).hostsCommand,
  helper: async () => (await import('./commands/helper.js')).helperCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  undo: async () => (await import('./commands/undo.js')).undoCommand,
  capture: async () => (await import('./commands/capture.js')).captureCommand,
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  health: async () => (await import('./commands/health.js')).healthCommand,
  'export-script': async () => (await import('./commands/export-script.js')).exportScriptCommand,
};

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  const lines = commands.map((c) => `  netloom ${c.usage.padEnd(34)} ${c.summary}`);
  return ['usage:', ...lines, '  netloom --host [NAME=][user@]host[:port] [--ssh-config FILE] COMMAND … run COMMAND on that host over your ssh\n  netloom --host A --host B … snapshot                               one snapshot of several hosts (ids host:NAME/…, tunnels joined)\n  netloom --host A=… --host B=… explain NS@A NS@B [--port P] [--proto …] [--probe [--trace]] [--json]\n                                                                     explain (and probe) from a namespace on host A to one on host B', ''].join('\n');
}

/**
 * `netloom --host [user@]host[:port] [--ssh-config FILE] COMMAND …` (issue 14): the command runs
 * on that host over the user's own ssh (helper/hosts/remote-command.ts).
 */
async function onHost(argv: string[]): Promise<number> {
  let i = 0;
  const hosts: string[] = [];
  let config: string | undefined;
  while (argv[i] === '--host' || argv[i] === '--ssh-config') {
    if (argv[i + 1] === undefined) break;
    if (argv[i] === '--host') hosts.push(argv[i + 1] as string);
    else config = argv[i + 1];
    i += 2;
  }
  if (hosts.length === 0) {
    process.stderr.write('netloom: --host needs [user@]host[:port], then a command\n');
    return 2;
  }
  const [{ parseHostArg }, { runRemoteCommand }, { runMergedSnapshot }, { readStdin }, { runExplainHosts }] = await Promise.all([
    import('../protocol/src/hosts.js'),
    import('./hosts/remote-command.js'),
    import('./hosts/remote-snapshots.js'),
    import('./intents/cli-io.js'),
    import('./hosts/explain-hosts.js'),
  ]);
  let targets;
  try {
    // `--host NAME=[user@]host[:port]` names the host on the canvas and in ids.
    targets = hosts.map((h) => {
      const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/.exec(h);
      return m ? parseHostArg(m[2] as string, m[1]) : parseHostArg(h);
    });
  } catch (e) {
    process.stderr.write(`netloom: ${(e as Error).message}\n`);
    return 2;
  }
  const io = { stdout: process.stdout, stderr: process.stderr, readStdin };
  const opts = config !== undefined ? { configFile: resolve(config) } : {};
  const [only] = targets;
  const command = argv.slice(i);
  // explain between hosts (NS@HOST ends, or several --host): both hosts at once (explain-hosts.ts).
  if (command[0] === 'explain' && (targets.length > 1 || command.slice(1).some((a) => !a.startsWith('-') && a.includes('@')))) return await runExplainHosts(targets, command.slice(1), io, opts);
  if (only !== undefined && targets.length === 1) return await runRemoteCommand(only, command, io, opts);
  return await runMergedSnapshot(targets, command, io, opts);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--host' || argv[0] === '--ssh-config') return await onHost(argv);
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(await usage());
    return name === undefined ? 2 : 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`netloom: unknown command "${name}"\n${await usage()}`);
    return 2;
  }
  return await (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`netloom: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
