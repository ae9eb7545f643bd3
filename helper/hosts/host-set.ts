import type { HostEntry, HostTarget } from '../../protocol/src/hosts.js';
import type { TopologyWatchData } from '../../protocol/src/methods.js';
import { RemoteHost, type RemoteHostOptions } from './remote-host.js';

/**
 * The remote hosts of one browser-mode session (`netloom serve --host …`, issue 14): each
 * connected in the background, kept live or stale on its own; listeners hear every change.
 */
export type HostChange = { host: RemoteHost; patch?: TopologyWatchData };

export class HostSet {
  readonly hosts = new Map<string, RemoteHost>();
  private readonly listeners = new Set<(c: HostChange) => void>();

  constructor(targets: readonly HostTarget[], opts: RemoteHostOptions = {}) {
    for (const t of targets) {
      const host = new RemoteHost(t, { ...opts, onChange: (h, what) => this.emit({ host: h, ...(what.patch ? { patch: what.patch } : {}) }) });
      if (this.hosts.has(host.name)) throw new Error(`two --host are both called "${host.name}"`);
      this.hosts.set(host.name, host);
    }
  }

  /** Starts every host; a host that fails first time retries like a dropped one (RemoteHost). */
  start(): void {
    for (const h of this.hosts.values()) h.start();
  }

  entries(): HostEntry[] {
    return [...this.hosts.values()].map((h) => h.entry());
  }

  listen(cb: (c: HostChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(c: HostChange): void {
    for (const cb of this.listeners) cb(c);
  }

  close(): void {
    for (const h of this.hosts.values()) h.close();
  }
}
