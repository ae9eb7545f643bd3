import type { Command } from './command.js';

// Placeholder until this command is written; replaced in the same session.
export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve',
  summary: 'not built yet',
  run: async () => {
    process.stderr.write('netloom serve: not built yet\n');
    return 1;
  },
};
