import { readdir } from 'node:fs/promises';
import type { Notice, Snapshot } from '../../protocol/src/snapshot.js';
import type { Exec } from '../exec.js';
import type { FirewallTexts } from '../firewall/read.js';
import { isPrivileged, readHostInfo, type HostInfo } from './host-info.js';
import { NAMED_DIR, listNamespaces, type FoundNamespace } from './namespaces.js';
import type { NsTarget } from './ns-target.js';
import { fillNsidTables } from './nsid-tables.js';
import { stateFrom, type NamespaceState } from './read-namespace.js';
import { nativeReaderAvailable } from './netlink/read-native.js';
import { ALL_NAMED_THRESHOLD, readNamespaces, startBulkRead, type BulkRead } from './read-namespaces.js';
import { Runtimes } from './runtimes/runtimes.js';
import { EMPTY_RUNTIME_VIEW, type RuntimeView } from './runtimes/types.js';
import { assembleSnapshot } from './snapshot.js';

export const NO_ROOT_NOTICE: Notice = {
  level: 'warning',
  message: 'Seeing other network namespaces needs the privileged helper (run as root).',
};

export interface TopologyCacheOptions {
  /** Namespaces read at once by ip or iptables-save (without netloom-nsread, each read is two short processes). */
  concurrency?: number;
  /** Replaces the namespace scan (tests). */
  listNamespaces?: () => Promise<FoundNamespace[]>;
  /** Container runtimes to ask (Docker, Podman, LXC); default: all, when scanning the real host; null: none. */
  runtimes?: Runtimes | null;
  /** Read namespaces with netloom-nsread; default: when it was built and the real host is scanned. */
  nativeReader?: boolean;
}

/**
 * The helper's picture of the host: what every namespace held when last read. The live watcher
 * re-reads only what changed and reassembles (assembly is pure and cheap); operations run one at
 * a time so an early re-read never overwrites a later one.
 */
export class TopologyCache {
  private readonly exec: Exec;
  private readonly concurrency: number;
  private readonly list: () => Promise<FoundNamespace[]>;
  private readonly scansRealHost: boolean;
  private host: HostInfo | null = null;
  private found: FoundNamespace[] = [];
  private readonly states = new Map<string, NamespaceState>();
  private snapshot: Snapshot | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** The runtimes asked, for the live watcher: `runtimes.docker.follow(signal)` keeps their answers fresh. */
  readonly runtimes: Runtimes | null;
  private runtimeView: RuntimeView = EMPTY_RUNTIME_VIEW;
  /** Namespaces are read (and, by the live watcher, watched) with netloom-nsread. */
  readonly nativeReader: boolean;

  constructor(exec: Exec, opts: TopologyCacheOptions = {}) {
    this.exec = exec;
    this.concurrency = opts.concurrency ?? 6;
    this.list = opts.listNamespaces ?? listNamespaces;
    this.scansRealHost = opts.listNamespaces === undefined;
    this.runtimes = opts.runtimes !== undefined ? opts.runtimes : this.scansRealHost ? new Runtimes() : null;
    this.nativeReader = opts.nativeReader ?? (this.scansRealHost && nativeReaderAvailable());
  }

  /** Lists namespaces and reads every one. */
  refreshAll(signal?: AbortSignal): Promise<Snapshot> {
    return this.serial(async () => {
      // Named namespaces can be read without the list: start that read first, scan meanwhile.
      const worthIt = this.nativeReader ? 1 : ALL_NAMED_THRESHOLD;
      const bulk = this.scansRealHost && isPrivileged() && (await countNamed()) >= worthIt ? startBulkRead(this.exec, this.nativeReader, signal) : undefined;
      // The runtimes' APIs are asked while /proc is scanned: their answer costs no extra wall time.
      const [host, found, asked] = await Promise.all([readHostInfo(this.exec, signal), this.list(), this.runtimes?.ask(signal)]);
      this.host = host;
      this.found = found;
      this.runtimeView = asked !== undefined && this.runtimes !== null ? await this.runtimes.view(asked, found) : EMPTY_RUNTIME_VIEW;
      this.states.clear();
      await this.read(this.found.map((f) => f.target), signal, bulk);
      return this.assemble();
    });
  }

  /** Re-lists namespaces: reads new ones, drops gone ones (cheap when nothing changed). Returns the new snapshot. */
  rescanNamespaces(signal?: AbortSignal): Promise<Snapshot> {
    return this.serial(async () => {
      if (this.host === null) this.host = await readHostInfo(this.exec, signal);
      const before = JSON.stringify(this.found);
      this.found = await this.list();
      const ids = new Set(this.found.map((f) => f.target.id));
      for (const id of [...this.states.keys()]) if (!ids.has(id)) this.states.delete(id);
      const fresh = this.found.filter((f) => !this.states.has(f.target.id)).map((f) => f.target);
      const changed = JSON.stringify(this.found) !== before;
      // A namespace came or went: a container may have started or stopped, so the runtimes are asked again.
      await Promise.all([this.read(fresh, signal), changed ? this.askRuntimes(signal) : undefined]);
      if (fresh.length === 0 && this.snapshot !== null && !changed) return this.snapshot;
      return this.assemble();
    });
  }

  /** Re-reads only these namespaces (by id) and reassembles. Unknown ids are ignored. */
  refreshNamespaces(ids: string[], signal?: AbortSignal): Promise<Snapshot> {
    return this.serial(async () => {
      if (this.host === null) this.host = await readHostInfo(this.exec, signal);
      const wanted = new Set(ids);
      // A link, address or route changed: the firewall did not (the rules poller watches it; setFirewall).
      const known = new Map([...this.states].flatMap(([id, st]) => (wanted.has(id) && st.firewall !== null ? [[id, st.firewall] as const] : [])));
      await this.read(
        this.found.filter((f) => wanted.has(f.target.id)).map((f) => f.target),
        signal,
        undefined,
        known,
      );
      return this.assemble();
    });
  }

  /** The rules poller read a namespace's firewall anew: keep it and reassemble, no other read. */
  setFirewall(id: string, texts: FirewallTexts): Promise<Snapshot> {
    return this.serial(async () => {
      const st = this.states.get(id);
      if (st) this.states.set(id, { ...st, firewall: texts });
      return this.assemble();
    });
  }

  /** Asks the runtimes again (after one of their events) and reassembles; namespaces are not re-read. */
  refreshRuntimes(signal?: AbortSignal): Promise<Snapshot> {
    return this.serial(async () => {
      if (this.host === null) this.host = await readHostInfo(this.exec, signal);
      await this.askRuntimes(signal);
      return this.assemble();
    });
  }

  /** Last assembled snapshot (null before the first read). */
  current(): Snapshot | null {
    return this.snapshot;
  }

  /** The NsTarget of a namespace id, for watchers (ip monitor) and later captures. */
  target(id: string): NsTarget | undefined {
    return this.found.find((f) => f.target.id === id)?.target;
  }

  private async askRuntimes(signal?: AbortSignal): Promise<void> {
    if (this.runtimes === null) return;
    this.runtimeView = await this.runtimes.view(await this.runtimes.ask(signal), this.found);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(targets: NsTarget[], signal?: AbortSignal, bulk?: BulkRead, known?: Map<string, FirewallTexts>): Promise<void> {
    // Unprivileged, entering fails anyway (and `ip -all netns exec` takes seconds to say so).
    const unreadable = this.host?.privileged === false ? targets.filter((t) => !t.own) : [];
    const readable = unreadable.length === 0 ? targets : targets.filter((t) => t.own);
    const states = [
      ...(await readNamespaces(this.exec, readable, this.concurrency, signal, bulk, this.nativeReader, known)),
      ...unreadable.map((t) => stateFrom(t.id, { failed: 'reading it needs the privileged helper (run as root)' }, null)),
    ];
    for (const s of states) this.states.set(s.id, s);
    if (states.length === 0) return;
    // Veths mutual matching could not pair: ask those namespaces' nsid tables for names.
    const nameToNs = new Map(this.found.flatMap((f) => (f.name !== null ? [[f.name, f.target.id] as const] : [])));
    const filled = await fillNsidTables(this.exec, [...this.states.values()], (id) => this.target(id), nameToNs, this.concurrency, signal);
    for (const s of filled) this.states.set(s.id, s);
  }

  private assemble(): Snapshot {
    const host = this.host ?? { hostname: 'unknown', kernel: 'unknown', iptables: null };
    const notices: Notice[] = host.privileged === false ? [NO_ROOT_NOTICE] : [];
    this.snapshot = assembleSnapshot(host, this.found, [...this.states.values()], notices, undefined, this.runtimeView);
    return this.snapshot;
  }
}

async function countNamed(): Promise<number> {
  return await readdir(NAMED_DIR).then(
    (n) => n.length,
    () => 0,
  );
}

/** One-shot: list, read, assemble. */
export async function takeSnapshot(exec: Exec, signal?: AbortSignal): Promise<Snapshot> {
  return await new TopologyCache(exec).refreshAll(signal);
}
