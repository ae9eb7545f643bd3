import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { FirewallTexts } from '../firewall/read.js';

/**
 * The part of discovery's TopologyCache (helper/discover/topology-cache.ts) the live
 * watcher uses; tests pass a fake with the same shape.
 */
export interface TopologySource {
  /** Lists and reads every namespace. */
  refreshAll(signal?: AbortSignal): Promise<Snapshot>;
  /** Re-lists namespaces: reads new ones, drops gone ones. */
  rescanNamespaces(signal?: AbortSignal): Promise<Snapshot>;
  /** Re-reads only these namespaces. */
  refreshNamespaces(ids: string[], signal?: AbortSignal): Promise<Snapshot>;
  /** Asks the container runtimes again (after one of their events); absent where none are asked. */
  refreshRuntimes?(signal?: AbortSignal): Promise<Snapshot>;
  /** Keeps a namespace's firewall as the rules poller just read it (no other read); absent in fakes. */
  setFirewall?(id: string, texts: FirewallTexts): Promise<Snapshot>;
  current(): Snapshot | null;
  target(id: string): NsTarget | undefined;
}
