import type { ChildProcess } from 'node:child_process';
import type { NsTarget } from '../discover/ns-target.js';
import { terminate, type Exec } from '../exec.js';
import { safeCommand, startCommandChild } from '../native/command-child.js';
import { RESPAWN_AFTER_MS, type NamespaceMonitors, type NsMonitorHooks } from './ns-monitors.js';

/**
 * Every namespace watched by one `netloom-nsread --monitor` (helper/native/nsread.c) instead of
 * an `ip monitor` each: with 200 namespaces, spawning 200 monitors blocked the helper's event
 * loop for most of a second (the page it serves waited) and kept 200 processes resident.
 * The reader holds one netlink socket per namespace; "+ID PATH" adds one, "-ID" closes it,
 * and it prints "ID" when that namespace's links, addresses or routes changed.
 */

export class NativeNsMonitors implements NamespaceMonitors {
  private child: ChildProcess | null = null;
  private spawnedAt = 0;
  private readonly watched = new Set<string>();
  private readonly lastStart = new Map<string, number>();

  constructor(
    private readonly exec: Exec,
    private readonly hooks: NsMonitorHooks,
  ) {}

  get size(): number {
    return this.watched.size;
  }

  reconcile(ids: Iterable<string>, targetOf: (id: string) => NsTarget | undefined): string[] {
    const want = new Set(ids);
    for (const id of [...this.watched]) if (!want.has(id)) this.remove(id);
    const started: string[] = [];
    const commands: string[] = [];
    for (const id of want) {
      if (this.watched.has(id)) continue;
      const target = targetOf(id);
      if (!target || !safeCommand(id, target.path)) continue;
      const last = this.lastStart.get(id);
      if (last !== undefined && Date.now() - last < RESPAWN_AFTER_MS) continue;
      this.watched.add(id);
      this.lastStart.set(id, Date.now());
      commands.push(`+${id} ${target.path}\n`);
      started.push(id);
    }
    if (commands.length > 0) {
      const child = this.ensureChild();
      if (child === null) {
        for (const id of started) this.watched.delete(id);
        return [];
      }
      child.stdin?.write(commands.join(''));
    }
    return started;
  }

  stopAll(): void {
    this.watched.clear();
    this.lastStart.clear();
    const c = this.child;
    this.child = null;
    if (c !== null) {
      c.stdin?.end();
      terminate(c);
    }
  }

  private remove(id: string): void {
    this.watched.delete(id);
    this.lastStart.delete(id);
    this.child?.stdin?.write(`-${id}\n`);
  }

  private ensureChild(): ChildProcess | null {
    if (this.child !== null) return this.child;
    if (Date.now() - this.spawnedAt < RESPAWN_AFTER_MS) return null;
    this.spawnedAt = Date.now();
    const child = startCommandChild(this.exec, '--monitor', (line) => this.onLine(line));
    this.child = child;
    child.once('exit', () => {
      if (this.child !== child) return; // stopped on purpose
      this.child = null;
      // Every namespace lost its watch: re-list, and the next reconcile starts a new reader.
      const lost = [...this.watched];
      this.watched.clear();
      for (const id of lost) this.hooks.onExit(id);
    });
    return child;
  }

  private onLine(line: string): void {
    if (line.startsWith('!')) {
      // "!ID errno step": it could not be watched (the namespace is gone, most likely).
      const id = line.slice(1).split(' ')[0] ?? '';
      if (this.watched.delete(id)) this.hooks.onExit(id);
      return;
    }
    if (this.watched.has(line)) this.hooks.onChange(line);
  }
}
