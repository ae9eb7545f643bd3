import { systemExec } from '../exec.js';
import { takeSnapshot } from '../discover/topology-cache.js';
import type { Command } from './command.js';

/** `netloom snapshot [--pretty]`: Snapshot v1 (DESIGN §3) on stdout. */
export const snapshotCommand: Command = {
  name: 'snapshot',
  usage: 'snapshot [--pretty]',
  summary: 'print the host\'s network topology as JSON',
  run: async (args) => {
    const unknown = args.filter((a) => a !== '--pretty');
    if (unknown.length > 0) {
      process.stderr.write(`netloom snapshot: unknown argument "${unknown[0]}" (only --pretty)\n`);
      return 2;
    }
    const snapshot = await takeSnapshot(systemExec);
    const text = args.includes('--pretty') ? JSON.stringify(snapshot, null, 2) : JSON.stringify(snapshot);
    await new Promise<void>((resolve) => process.stdout.write(text + '\n', () => resolve()));
    return 0;
  },
};
