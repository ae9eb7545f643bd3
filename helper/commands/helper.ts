import type { Command } from './command.js';

// Placeholder until this command is written; replaced in the same session.
export const helperCommand: Command = {
  name: 'helper',
  usage: 'helper',
  summary: 'not built yet',
  run: async () => {
    process.stderr.write('netloom helper: not built yet\n');
    return 1;
  },
};
