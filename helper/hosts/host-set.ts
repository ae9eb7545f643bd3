import { ProtocolError } from '../../protocol/src/errors.js';
import { MAX_HOSTS } from '../../protocol/src/host-methods.js';
import type { HostEntry, HostTarget } from '../../protocol/src/hosts.js';
import { hostNameOf } from '../../protocol/src/hosts.js';
import type { TopologyWatchData } from '../../protocol/src/methods.js';
import { RemoteHost, type RemoteHostOptions } from './remote-host.js';

/**
 * The remote hosts of one browser-mode session (`netloom serve --host …`, "Add host…", issue 14):
 * each connected in the background, kept live or stale on its own; listeners hear every change,
 * a host added or removed included.
 */
export type HostChange = { host: RemoteHost; patch?: TopologyWatchData; removed?: true };

type Options = Omit<RemoteHostOptions, 'onChange'>;

export class HostSet {
  readonly hosts = new Map<string, RemoteHost>();
  private readonly listeners = new Set<(c: HostChange) => void>();
  /** Removed hosts whose ssh is still ending (closeAndWait waits for them too). */
  private readonly ending = new Set<RemoteHost>();

  constructor(
    targets: readonly HostTarget[],
    private readonly opts: Options = {},
    private readonly make: (t: HostTarget, o: RemoteHostOptions) => RemoteHost = (t, o) => new RemoteHost(t, o),
  ) {
    for (const t of targets) {
      if (this.hosts.has(hostNameOf(t))) throw new Error(`two --host are both called "${hostNameOf(t)}"`);
      this.hosts.set(hostNameOf(t), this.create(t));
    }
  }

  private create(t: HostTarget): RemoteHost {
    return this.make(t, { ...this.opts, interactiveSudo: true, onChange: (h, what) => this.emit({ host: h, ...(what.patch ? { patch: what.patch } : {}) }) });
  }

  /** Starts every host; a host that fails first time retries like a dropped one (RemoteHost). */
  start(): void {
    for (const h of this.hosts.values()) h.start();
  }

  /** A host added from the app: connected in the background, its progress heard by listeners. */
  add(target: HostTarget): RemoteHost {
    const name = hostNameOf(target);
    if (name === 'local') throw new ProtocolError('conflict', '"local" is this machine\'s name on the canvas: give the host another name', { path: 'params.target.name' });
    if (this.hosts.has(name)) throw new ProtocolError('conflict', `a host called "${name}" is already on the canvas: give this one another name`, { path: 'params.target.name' });
    if (this.hosts.size >= MAX_HOSTS) throw new ProtocolError('conflict', `at most ${MAX_HOSTS} hosts fit on one canvas: remove one first`);
    const host = this.create(target);
    this.hosts.set(name, host);
    host.start();
    this.emit({ host });
    return host;
  }

  /** Ends the host's session (its remote helper exits and removes its copies) and takes its picture off. */
  remove(name: string): boolean {
    const host = this.hosts.get(name);
    if (host === undefined) return false;
    this.hosts.delete(name);
    host.close();
    this.ending.add(host);
    void host.ended().then(() => this.ending.delete(host));
    this.emit({ host, removed: true });
    return true;
  }

  entries(): HostEntry[] {
    return [...this.hosts.values()].map((h) => h.entry());
  }

  listen(cb: (c: HostChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(c: HostChange): void {
    // A host removed while it was still connecting may report once more: not ours any more.
    if (!c.removed && this.hosts.get(c.host.name) !== c.host) return;
    for (const cb of this.listeners) cb(c);
  }

  close(): void {
    for (const h of this.hosts.values()) h.close();
  }

  /** Closes every host and resolves once each one's ssh has exited (its remote helper and copies gone), or after `ms`. */
  async closeAndWait(ms: number): Promise<void> {
    const ended = [...this.hosts.values(), ...this.ending].map((h) => {
      h.close();
      return h.ended();
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(ended), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }
}
