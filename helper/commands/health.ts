import { systemExec } from '../exec.js';
import { TopologyCache } from '../discover/topology-cache.js';
import { healthLive } from '../explain/explain-live.js';
import { healthText } from '../explain/format-text.js';
import { printJson, reportError } from '../intents/cli-io.js';
import type { Command } from './command.js';
import { planFixes } from './explain-fixes.js';

/** `netloom health [--json]`: every finding on the host, grouped by namespace, with fix commands. */
export const healthCommand: Command = {
  name: 'health',
  usage: 'health [--json]',
  summary: 'every problem explain can see on this host, by namespace',
  async run(args) {
    try {
      if (args.some((a) => a !== '--json')) {
        process.stderr.write('netloom health: the only option is --json\n');
        return 2;
      }
      const cache = new TopologyCache(systemExec);
      const health = await healthLive(systemExec, await cache.refreshAll(), async (id) => cache.target(id));
      if (args.includes('--json')) {
        printJson(process.stdout, health);
        return 0;
      }
      const fixes = await planFixes(systemExec, health.groups.flatMap((g) => g.findings));
      process.stdout.write(healthText(health, fixes));
      return 0;
    } catch (e) {
      return reportError(e);
    }
  },
};
