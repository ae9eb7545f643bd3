import type { Command } from './commands/command.js';

/**
 * `netloom COMMAND …` (DESIGN §9). Every front door shares the same helper core.
 * Commands load on demand: `snapshot` should not pay for starting the web server's or
 * the capture decoder's modules (start-up is most of a one-shot command's time).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  snapshot: async () => (await import('./commands/snapshot.js')).snapshotCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
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
  return ['usage:', ...lines, ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
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
