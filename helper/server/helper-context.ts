import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TopologyCache } from '../discover/topology-cache.js';
import type { TopologyCacheOptions } from '../discover/topology-cache.js';
import type { NsTarget } from '../discover/ns-target.js';
import { systemExec } from '../exec.js';
import type { Exec } from '../exec.js';
import { Journal } from '../intents/journal.js';
import { ensureJumps, iptablesStateFromLists, missingJumps } from '../intents/netloom-chains.js';
import type { NsFirewallLists } from '../firewall/assemble.js';
import { recoverJournal } from '../intents/undo.js';
import { LiveTopology } from '../watch/live-topology.js';
import { startLiveWatcher } from '../watch/live-watcher.js';
import { NoticedSource } from '../watch/noticed-source.js';
import { dockerChange, podmanChange, type RuntimeEventSource } from '../watch/runtime-events.js';
import type { RecoveryReport } from '../intents/undo.js';
import type { ServerContext } from './context.js';

export interface HelperCore {
  ctx: ServerContext;
  /** Resolves once the journal's interrupted plans (if any) were rolled back. */
  recovered: Promise<void>;
  /** Stops the live watcher and its `ip monitor` children. */
  stop(): void;
}

export interface HelperCoreOptions {
  exec?: Exec;
  log?: (m: string) => void;
  /** Default $NETLOOM_STATE_DIR or /var/lib/netloom. */
  stateDir?: string;
  cache?: TopologyCacheOptions;
  /** Tests leave the journal alone. */
  recover?: boolean;
}

function logToStderr(message: string): void {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
}

/**
 * Docker's restart (or `iptables -F`) drops the jumps into netloom's chains; the rules poller
 * hands every namespace's new iptables text here, and only a text that has NETLOOM chains
 * without their jumps costs a process. Skipped while a plan holds the journal lock: an undo
 * deletes a jump one step before its chain, and re-inserting it then would break the undo.
 */
function jumpRestorer(exec: Exec, journal: Journal, log: (m: string) => void) {
  return (nsId: string, target: NsTarget, lists: NsFirewallLists): void => {
    if (!lists.chains.some((c) => c.chain.startsWith('NETLOOM-')) || existsSync(join(journal.dir, 'lock'))) return;
    if (missingJumps(iptablesStateFromLists(lists)).length === 0) return;
    ensureJumps(exec, target).then(
      (chains) => chains.length > 0 && log(`netloom helper: restored the jumps to ${chains.join(', ')} in ${nsId} (someone flushed them)`),
      (e: unknown) => log(`netloom helper: could not restore netloom's jumps in ${nsId}: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
}

/** "A plan interrupted at 11:05:12 UTC was rolled back": the plan id starts with its UTC time. */
export function recoveryNotice(r: RecoveryReport): { level: 'info' | 'warning'; message: string } {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/.exec(r.planId);
  const when = m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} UTC` : r.planId;
  const what = r.outcome === 'rolled-back' ? `A plan interrupted at ${when} was rolled back` : `An undo interrupted at ${when} was finished`;
  const rest = r.failures.length > 0 ? ` except ${r.failures.length} step(s): ${r.failures.map((f) => f.message).join('; ')}` : '';
  return { level: r.failures.length > 0 ? 'warning' : 'info', message: `${what}${rest}.` };
}

/** What one helper process shares between its connections: one cache, one live watcher, one journal. */
export function createHelperCore(opts: HelperCoreOptions = {}): HelperCore {
  const exec = opts.exec ?? systemExec;
  const log = opts.log ?? logToStderr;
  const cache = new TopologyCache(exec, opts.cache);
  const journal = new Journal(opts.stateDir);
  const onRules = jumpRestorer(exec, journal, log);
  const noticed = new NoticedSource(cache);
  const runtimeEvents: RuntimeEventSource[] = cache.runtimes
    ? [
        { name: 'Docker', stream: cache.runtimes.docker, classify: dockerChange },
        { name: 'Podman', stream: cache.runtimes.podman, classify: podmanChange },
      ]
    : [];
  const live = new LiveTopology(noticed, (source, onSnapshot) => startLiveWatcher(exec, source, onSnapshot, { log, onRules, runtimeEvents, native: cache.nativeReader }));

  const resolveTarget = async (nsId: string, signal?: AbortSignal): Promise<NsTarget | undefined> => {
    const known = cache.target(nsId);
    if (known) return known;
    // Nobody watched yet (or the namespace is new): list the namespaces once more.
    if (cache.current() === null) await cache.refreshAll(signal);
    else await cache.rescanNamespaces(signal);
    return cache.target(nsId);
  };

  const recovered =
    // No journal, nothing to recover (and an unprivileged helper need not create /var/lib/netloom).
    opts.recover === false || !existsSync(journal.file)
      ? Promise.resolve()
      : journal
          .withLock(() => recoverJournal(exec, journal))
          .then(
            (reports) => {
              for (const r of reports) {
                log(`netloom helper: ${r.message}`);
                noticed.add(recoveryNotice(r));
              }
            },
            (e: unknown) => log(`netloom helper: journal recovery skipped: ${e instanceof Error ? e.message : String(e)}`),
          );

  const ctx: ServerContext = { topology: live, log, exec, targets: cache, resolveTarget, journal, journalReady: recovered };
  return { ctx, recovered, stop: () => live.stop() };
}
