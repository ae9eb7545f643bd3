import { existsSync } from 'node:fs';
import { TopologyCache } from '../discover/topology-cache.js';
import type { TopologyCacheOptions } from '../discover/topology-cache.js';
import type { NsTarget } from '../discover/ns-target.js';
import { systemExec } from '../exec.js';
import type { Exec } from '../exec.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { Journal } from '../intents/journal.js';
import { lockBusyHere } from '../intents/journal-lock.js';
import { ensureJumps, iptablesStateFromLists, missingJumps } from '../intents/netloom-chains.js';
import type { NsFirewallLists } from '../firewall/assemble.js';
import { recoverJournal } from '../intents/undo.js';
import { LiveTopology } from '../watch/live-topology.js';
import { startLiveWatcher } from '../watch/live-watcher.js';
import { NoticedSource } from '../watch/noticed-source.js';
import { containerdChange, dockerChange, podmanChange, type RuntimeEventSource } from '../watch/runtime-events.js';
import type { RecoveryReport } from '../intents/undo.js';
import type { ServerContext } from './context.js';
import { processCaptureBudget } from './capture-budget.js';

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
 * without their jumps costs a process. The jumps are restored under the journal lock, and not
 * at all while a plan holds it (here or in another netloom): an undo deletes a jump one step
 * before its chain, and re-inserting it then would break the undo. The next poll tries again.
 */
function jumpRestorer(exec: Exec, journal: Journal, log: (m: string) => void) {
  return (nsId: string, target: NsTarget, lists: NsFirewallLists): void => {
    if (!lists.chains.some((c) => c.chain.startsWith('NETLOOM-')) || lockBusyHere(journal.lockFile)) return;
    if (missingJumps(iptablesStateFromLists(lists)).length === 0) return;
    journal.withLock(() => ensureJumps(exec, target), { waitMs: 0, who: 'restoring netloom jumps' }).then(
      (chains) => chains.length > 0 && log(`netloom helper: restored the jumps to ${chains.join(', ')} in ${nsId} (someone flushed them)`),
      (e: unknown) => {
        if (e instanceof ProtocolError && e.details?.busy === true) return;
        log(`netloom helper: could not restore netloom's jumps in ${nsId}: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  };
}

/** "A plan interrupted at 11:05:12 UTC was rolled back": the plan id starts with its UTC time. */
export function recoveryNotice(r: RecoveryReport): { level: 'info' | 'warning'; message: string } {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/.exec(r.planId);
  const when = m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} UTC` : r.planId;
  const what = r.outcome === 'rolled-back' ? `A plan interrupted at ${when} was rolled back` : `An undo interrupted at ${when} was finished`;
  const lost = r.orphan ? ' (the journal had lost its plan record; each step had kept its own undo)' : '';
  const rest = r.failures.length > 0 ? ` except ${r.failures.length} step(s): ${r.failures.map((f) => f.message).join('; ')}` : '';
  const foreign = r.skipped.filter((x) => x.kind === 'foreign');
  const alone = foreign.length > 0 ? `; left alone, as they are no longer what netloom made: ${foreign.map((x) => x.why).join('; ')}` : '';
  return { level: r.failures.length > 0 || r.orphan || foreign.length > 0 ? 'warning' : 'info', message: `${what}${lost}${rest}${alone}.` };
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
        { name: 'containerd', stream: cache.runtimes.containerd, classify: containerdChange },
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
          .withLock(() => recoverJournal(exec, journal), { who: 'netloom helper (start-up recovery)' })
          .then(
            (reports) => {
              for (const r of reports) {
                log(`netloom helper: ${r.message}`);
                noticed.add(recoveryNotice(r));
              }
              if (journal.rejectedLines > 0) {
                const message = `${journal.rejectedLines} line(s) of netloom's journal (${journal.file}) failed its checks and were ignored: a damaged or forged record is never run.`;
                log(`netloom helper: ${message}`);
                noticed.add({ level: 'warning', message });
              }
            },
            (e: unknown) => {
              const message = `netloom's journal was not read: ${e instanceof Error ? e.message : String(e)}`;
              log(`netloom helper: ${message}`);
              // A journal refused as untrusted is something the person must hear about.
              if (e instanceof ProtocolError && e.code === 'denied') noticed.add({ level: 'warning', message });
            },
          );

  const ctx: ServerContext = { topology: live, log, exec, targets: cache, resolveTarget, journal, journalReady: recovered, captureBudget: processCaptureBudget };
  return { ctx, recovered, stop: () => live.stop() };
}
