import type { Command } from './command.js';

// Placeholder until this command is written; replaced in the same session.
export const snapshotCommand: Command = {
  name: 'snapshot',
  usage: 'snapshot',
  summary: 'not built yet',
  run: async () => {
    process.stderr.write('netloom snapshot: not built yet\n');
    return 1;
  },
};
