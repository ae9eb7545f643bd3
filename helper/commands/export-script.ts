import { readFile } from 'node:fs/promises';
import { exportScript } from '../../protocol/src/export-script.js';
import { Snapshot } from '../../protocol/src/snapshot.js';
import { takeSnapshot } from '../discover/topology-cache.js';
import { systemExec } from '../exec.js';
import type { Command } from './command.js';

/**
 * `netloom export-script [--from FILE|-]`: a bash script of ip/iptables commands that rebuilds
 * this host's network (or that of a snapshot saved earlier) — the same text as the app's
 * File ▸ Export as shell script.
 */
export const exportScriptCommand: Command = {
  name: 'export-script',
  usage: 'export-script [--from SNAPSHOT|-]',
  summary: 'print a bash script of ip/iptables commands that rebuilds the network',
  async run(args) {
    const from = args[0] === '--from' ? args[1] : undefined;
    if (args.length > 0 && (from === undefined || args.length > 2)) {
      process.stderr.write('netloom export-script: the only option is --from FILE (a snapshot as `netloom snapshot` prints it, or - for stdin)\n');
      return 2;
    }
    let snapshot: Snapshot;
    if (from === undefined) snapshot = await takeSnapshot(systemExec);
    else {
      let json: unknown;
      try {
        json = JSON.parse(from === '-' ? await readStdin() : await readFile(from, 'utf8'));
      } catch (e) {
        process.stderr.write(`netloom export-script: cannot read a snapshot from ${from}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
      }
      const parsed = Snapshot.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        process.stderr.write(`netloom export-script: ${from} is not a netloom snapshot: ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}\n`);
        return 2;
      }
      snapshot = parsed.data;
    }
    await new Promise<void>((resolve) => process.stdout.write(exportScript(snapshot), () => resolve()));
    return 0;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
