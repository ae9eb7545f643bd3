import type { ChildProcess } from 'node:child_process';
import { ipIn } from '../discover/ns-target.js';
import type { NsTarget } from '../discover/ns-target.js';
import { terminate } from '../exec.js';
import type { Exec } from '../exec.js';

/**
 * iproute2 6.1 ignores `-json` for `ip monitor` (it prints the plain text form, checked
 * in the sandbox), so each output chunk is only a signal: "something changed in this
 * namespace"; the namespace is then re-read.
 */
export const MONITOR_ARGS = ['monitor', 'link', 'address', 'route'];

/** Do not restart a monitor that died sooner than this after the last start. */
export const RESPAWN_AFTER_MS = 2000;

interface Monitor {
  child: ChildProcess;
  stopping: boolean;
}

export interface NsMonitorHooks {
  onChange(nsId: string): void;
  /** A monitor ended on its own: its namespace may be gone. */
  onExit(nsId: string): void;
}

/** What the live watcher needs of its namespace monitors (ip's, or netloom-nsread's). */
export interface NamespaceMonitors {
  readonly size: number;
  /** Starts monitors for new namespaces, stops those of gone ones; returns the ids newly started. */
  reconcile(ids: Iterable<string>, targetOf: (id: string) => NsTarget | undefined): string[];
  stopAll(): void;
}

/** One long-lived `ip monitor` per namespace, kept in step with the namespace list. */
export class NsMonitors implements NamespaceMonitors {
  private readonly monitors = new Map<string, Monitor>();
  private readonly lastStart = new Map<string, number>();

  constructor(
    private readonly exec: Exec,
    private readonly hooks: NsMonitorHooks,
  ) {}

  get size(): number {
    return this.monitors.size;
  }

  /** Starts monitors for new namespaces, kills those of gone ones; returns the ids newly started. */
  reconcile(ids: Iterable<string>, targetOf: (id: string) => NsTarget | undefined): string[] {
    const want = new Set(ids);
    for (const id of [...this.monitors.keys()]) if (!want.has(id)) this.kill(id);
    const started: string[] = [];
    for (const id of want) {
      if (this.monitors.has(id)) continue;
      const target = targetOf(id);
      if (!target) continue;
      const last = this.lastStart.get(id);
      if (last !== undefined && Date.now() - last < RESPAWN_AFTER_MS) continue;
      this.start(id, target);
      started.push(id);
    }
    return started;
  }

  stopAll(): void {
    for (const id of [...this.monitors.keys()]) this.kill(id);
  }

  private start(id: string, target: NsTarget): void {
    const child = this.exec.spawn(ipIn(target, MONITOR_ARGS));
    const m: Monitor = { child, stopping: false };
    this.monitors.set(id, m);
    this.lastStart.set(id, Date.now());
    child.stdout?.on('data', () => this.hooks.onChange(id));
    child.stderr?.resume();
    child.once('exit', () => {
      if (this.monitors.get(id) === m) this.monitors.delete(id);
      if (!m.stopping) this.hooks.onExit(id);
    });
  }

  private kill(id: string): void {
    const m = this.monitors.get(id);
    if (!m) return;
    this.monitors.delete(id);
    this.lastStart.delete(id);
    m.stopping = true;
    terminate(m.child);
  }
}
