import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { NsFirewallLists } from '../firewall/assemble.js';
import type { FirewallTexts } from '../firewall/read.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';
import { ChangeBatcher, DEFAULT_TIMING } from './change-batcher.js';
import type { BatcherTiming, ChangeBatch } from './change-batcher.js';
import { NativeNsMonitors } from './native-monitors.js';
import { NsMonitors, type NamespaceMonitors, type NsMonitorHooks } from './ns-monitors.js';
import { NsPresence } from './ns-presence.js';
import { RulesPoller, RULES_POLL_MS } from './rules-poller.js';
import { followRuntimeEvents, type RuntimeChange, type RuntimeEventSource } from './runtime-events.js';
import type { TopologySource } from './topology-source.js';

export interface LiveWatcherOptions {
  timing?: BatcherTiming;
  rulesPollMs?: number;
  presence?: { dirs?: string[]; procDir?: string; pollMs?: number };
  /** A new namespace's monitor starts after it was read; re-read it once more after this, to cover the gap. */
  settleMs?: number;
  log?: (message: string) => void;
  /** A namespace's firewall rules, on the first read and after each change (ensureJumps hooks here). */
  onRules?: (nsId: string, target: NsTarget, lists: NsFirewallLists) => void;
  /** Runtimes' event streams (Docker, Podman): a container's start/stop/connect re-asks the runtime and re-reads what it touched. */
  runtimeEvents?: RuntimeEventSource[];
  /** Reconnect backoff for `runtimeEvents` (tests). */
  runtimeBackoff?: { firstMs?: number; maxMs?: number };
  /** Watch namespaces and rules with netloom-nsread (one process) rather than an `ip monitor` each. */
  native?: boolean;
}

export interface LiveWatcher {
  stop(): void;
  /** Test hook: the number of namespaces watched. */
  monitorCount(): number;
  /** Re-read these namespaces (and re-list them when `rescan`) now, as if their monitors had spoken. */
  poke?(nsIds: string[], rescan: boolean): void;
}

/**
 * The one live watcher of a helper process (DESIGN §4): a netlink watch per namespace (one netloom-nsread, or an `ip monitor` each),
 * namespace comings and goings, a periodic rules check; debounced into partial re-reads
 * of the cache. Every newer snapshot goes to `onSnapshot`.
 */
export function startLiveWatcher(
  exec: Exec,
  source: TopologySource,
  onSnapshot: (s: Snapshot) => void,
  opts: LiveWatcherOptions = {},
): LiveWatcher {
  const log = opts.log ?? (() => {});
  const settle = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  const nsIds = (): string[] => source.current()?.namespaces.map((n) => n.id) ?? [];

  const hooks: NsMonitorHooks = {
    onChange: (id) => {
      batcher.markNamespace(id);
      presence.checkSoon();
    },
    onExit: () => batcher.markRescan(),
  };
  const monitors: NamespaceMonitors = opts.native === true ? new NativeNsMonitors(exec, hooks) : new NsMonitors(exec, hooks);

  const reconcile = (first: boolean): void => {
    const started = monitors.reconcile(nsIds(), (id) => source.target(id));
    if (first || started.length === 0) return;
    const t = setTimeout(() => {
      settle.delete(t);
      for (const id of started) batcher.markNamespace(id);
    }, opts.settleMs ?? 250);
    settle.add(t);
  };

  const run = async (batch: ChangeBatch): Promise<void> => {
    try {
      if (batch.rescan) await source.rescanNamespaces();
      if (batch.runtimes === true) await source.refreshRuntimes?.();
      const ids = batch.ids.filter((id) => source.target(id) !== undefined);
      if (ids.length) await source.refreshNamespaces(ids);
    } catch (e) {
      log(`netloom helper: live re-read failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (stopped) return;
    const snap = source.current();
    if (snap) onSnapshot(snap);
    reconcile(false);
  };

  const batcher = new ChangeBatcher(run, opts.timing ?? DEFAULT_TIMING);
  const presence = new NsPresence(() => batcher.markRescan(), opts.presence);
  // A container's namespace by its runtime id, from the last snapshot (connect/disconnect name the container).
  const nsOfContainer = (id: string): string | undefined => source.current()?.namespaces.find((n) => n.container?.id === id)?.id;
  const onRuntimeChange = (c: RuntimeChange): void => {
    batcher.markRuntimes();
    if (c.rescan) batcher.markRescan();
    const ns = c.containerId !== null ? nsOfContainer(c.containerId) : undefined;
    if (ns !== undefined) batcher.markNamespace(ns);
  };
  // The poller read the changed rules already: hand them over instead of re-reading the namespace.
  const onRulesChanged = (id: string, texts: FirewallTexts | null): void => {
    if (texts === null || source.setFirewall === undefined) return batcher.markNamespace(id);
    source.setFirewall(id, texts).then(
      (snap) => !stopped && onSnapshot(snap),
      (e: unknown) => log(`netloom helper: could not take the new rules of ${id}: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const rules = new RulesPoller(exec, nsIds, (id) => source.target(id), onRulesChanged, opts.rulesPollMs ?? RULES_POLL_MS, opts.onRules, opts.native === true);

  const followers: { stop(): void }[] = [];
  // Spawning one monitor per namespace takes a while with hundreds of them: let the first
  // snapshot go out to the subscriber before that burst (the next macrotask).
  const boot = setTimeout(() => {
    if (stopped) return;
    reconcile(true);
    presence.start();
    rules.start();
    const onResync = (): void => {
      batcher.markRuntimes();
      batcher.markRescan();
    };
    for (const source of opts.runtimeEvents ?? []) followers.push(followRuntimeEvents(source, { onChange: onRuntimeChange, onResync, log }, opts.runtimeBackoff));
  }, 0);

  return {
    stop: () => {
      stopped = true;
      clearTimeout(boot);
      batcher.stop();
      presence.stop();
      rules.stop();
      for (const f of followers) f.stop();
      for (const t of settle) clearTimeout(t);
      monitors.stopAll();
    },
    monitorCount: () => monitors.size,
    poke: (ids, rescan) => {
      if (stopped) return;
      if (rescan) batcher.markRescan();
      for (const id of ids) batcher.markNamespace(id);
      // A namespace re-read keeps the rules it knew (the poller owns them): a plan may have changed them.
      rules.pollSoon();
    },
  };
}
