import { TopologyCache } from '../discover/topology-cache.js';
import { systemExec } from '../exec.js';
import type { Exec } from '../exec.js';
import { LiveTopology } from '../watch/live-topology.js';
import { startLiveWatcher } from '../watch/live-watcher.js';
import type { ServerContext } from './context.js';

export interface HelperCore {
  ctx: ServerContext;
  /** Stops the live watcher and its `ip monitor` children. */
  stop(): void;
}

function logToStderr(message: string): void {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
}

/** What one helper process shares between its connections: one cache, one live watcher. */
export function createHelperCore(exec: Exec = systemExec, log: (m: string) => void = logToStderr): HelperCore {
  const cache = new TopologyCache(exec);
  const live = new LiveTopology(cache, (source, onSnapshot) => startLiveWatcher(exec, source, onSnapshot, { log }));
  return { ctx: { topology: live, log }, stop: () => live.stop() };
}
