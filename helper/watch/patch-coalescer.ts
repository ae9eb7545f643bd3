import { diffSnapshots, isEmptyPatch } from '../../protocol/src/patch.js';
import type { TopologyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';

export const RETRY_WHEN_CONGESTED_MS = 50;

/**
 * One watcher's view of the topology. Each newer snapshot is diffed against what the
 * client already has; while the transport is congested nothing is sent, only the newest
 * snapshot is remembered, and one patch covering everything goes out once it drains.
 * Memory stays two snapshots no matter how slow the client is.
 */
export class PatchCoalescer {
  private clientView: Snapshot;
  private latest: Snapshot;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    initial: Snapshot,
    private readonly sendPatch: (p: TopologyPatch) => void,
    private readonly congested: () => boolean,
    private readonly retryMs = RETRY_WHEN_CONGESTED_MS,
  ) {
    this.clientView = initial;
    this.latest = initial;
  }

  push(next: Snapshot): void {
    if (this.stopped) return;
    this.latest = next;
    if (this.timer === null) this.flush();
  }

  /** True while a patch is held back for a congested transport. */
  get pending(): boolean {
    return this.latest !== this.clientView;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    if (this.stopped || this.latest === this.clientView) return;
    if (this.congested()) {
      this.timer = setTimeout(() => this.flush(), this.retryMs);
      return;
    }
    const patch = diffSnapshots(this.clientView, this.latest);
    this.clientView = this.latest;
    if (!isEmptyPatch(patch)) this.sendPatch(patch);
  }
}
