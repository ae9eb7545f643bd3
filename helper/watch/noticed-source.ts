import type { Notice, Snapshot } from '../../protocol/src/snapshot.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { FirewallTexts } from '../firewall/read.js';
import type { TopologySource } from './topology-source.js';

/**
 * The topology cache with the helper's own notices added to every snapshot it hands out (e.g.
 * "a plan interrupted at … was rolled back" after start-up recovery). The same decorated object is
 * returned until either side changes, so watchers diff as before.
 */
export class NoticedSource implements TopologySource {
  private notices: Notice[] = [];
  private memo: { base: Snapshot; count: number; out: Snapshot } | null = null;

  constructor(private readonly inner: TopologySource) {}

  add(notice: Notice): void {
    this.notices = [...this.notices, notice];
  }

  async refreshAll(signal?: AbortSignal): Promise<Snapshot> {
    return this.decorate(await this.inner.refreshAll(signal));
  }

  async rescanNamespaces(signal?: AbortSignal): Promise<Snapshot> {
    return this.decorate(await this.inner.rescanNamespaces(signal));
  }

  async refreshNamespaces(ids: string[], signal?: AbortSignal): Promise<Snapshot> {
    return this.decorate(await this.inner.refreshNamespaces(ids, signal));
  }

  async refreshRuntimes(signal?: AbortSignal): Promise<Snapshot> {
    if (this.inner.refreshRuntimes === undefined) return this.decorate(await this.inner.rescanNamespaces(signal));
    return this.decorate(await this.inner.refreshRuntimes(signal));
  }

  async setFirewall(id: string, texts: FirewallTexts): Promise<Snapshot> {
    if (this.inner.setFirewall === undefined) return this.decorate(await this.inner.refreshNamespaces([id]));
    return this.decorate(await this.inner.setFirewall(id, texts));
  }

  current(): Snapshot | null {
    const s = this.inner.current();
    return s === null ? null : this.decorate(s);
  }

  target(id: string): NsTarget | undefined {
    return this.inner.target(id);
  }

  private decorate(base: Snapshot): Snapshot {
    if (this.notices.length === 0) return base;
    if (this.memo && this.memo.base === base && this.memo.count === this.notices.length) return this.memo.out;
    const out = { ...base, notices: [...(base.notices ?? []), ...this.notices] };
    this.memo = { base, count: this.notices.length, out };
    return out;
  }
}
