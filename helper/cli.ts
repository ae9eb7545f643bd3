import type { Command } from './commands/command.js';
import { helperCommand } from './commands/helper.js';
import { serveCommand } from './commands/serve.js';
import { snapshotCommand } from './commands/snapshot.js';
import { planCommand } from './commands/plan.js';
import { applyCommand } from './commands/apply.js';
import { undoCommand } from './commands/undo.js';
import { captureCommand } from './commands/capture.js';

/** `netloom COMMAND …` (DESIGN §9). Every front door shares the same helper core. */
const COMMANDS: Command[] = [snapshotCommand, serveCommand, helperCommand, planCommand, applyCommand, undoCommand, captureCommand];

function usage(): string {
  const lines = COMMANDS.map((c) => `  netloom ${c.usage.padEnd(34)} ${c.summary}`);
  return ['usage:', ...lines, ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`netloom: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return await command.run(rest);
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
