import { ProtocolError } from '../../protocol/src/errors.js';
import type { RequestId } from '../../protocol/src/messages.js';
import type { CaptureHandle } from '../streams/capture.js';
import type { CaptureLease } from './capture-budget.js';

/** Ended captures a connection keeps for capture.packet/follow/save; older ones are forgotten. */
export const KEPT_ENDED_CAPTURES = 8;

const keyOf = (id: RequestId): string => `${typeof id}:${String(id)}`;

/**
 * One connection's captures by stream id: running ones, and the last few ended ones, whose
 * rings stay readable (capture.packet / capture.save after the capture stopped).
 */
export class CaptureRegistry {
  private readonly handles = new Map<string, { handle: CaptureHandle; ended: boolean; pcap: Buffer | null; lease: CaptureLease | null }>();
  private readonly endedOrder: string[] = [];

  constructor(private readonly keepEnded = KEPT_ENDED_CAPTURES) {}

  /** A running capture; its lease (capture-budget.ts) is given back when the ring is forgotten. */
  add(id: RequestId, handle: CaptureHandle, lease: CaptureLease | null = null): void {
    this.handles.set(keyOf(id), { handle, ended: false, pcap: null, lease });
  }

  /** Lets go of an ended capture's ring (the budget needs its bytes for a new capture). */
  forget(id: RequestId): void {
    const key = keyOf(id);
    const entry = this.handles.get(key);
    if (!entry || !entry.ended) return;
    this.handles.delete(key);
    entry.lease?.release();
    const at = this.endedOrder.indexOf(key);
    if (at >= 0) this.endedOrder.splice(at, 1);
  }

  /**
   * The capture as a .pcap, for `capture.save` in chunks: built at offset 0 (and kept), so every
   * chunk of one save comes from the same file even while the capture still runs.
   */
  pcap(id: RequestId, offset: number): Buffer {
    const entry = this.handles.get(keyOf(id));
    if (!entry) return this.get(id).pcap();
    if (offset === 0 || entry.pcap === null) entry.pcap = entry.handle.pcap();
    return entry.pcap;
  }

  /** The capture ended: keep its ring, forgetting the oldest ended capture beyond the limit. */
  ended(id: RequestId): void {
    const key = keyOf(id);
    const entry = this.handles.get(key);
    if (!entry || entry.ended) return;
    entry.ended = true;
    entry.lease?.ended(entry.handle.stats().ringBytes);
    this.endedOrder.push(key);
    while (this.endedOrder.length > this.keepEnded) {
      const old = this.endedOrder.shift();
      if (old === undefined) continue;
      this.handles.get(old)?.lease?.release();
      this.handles.delete(old);
    }
  }

  /** The capture of a stream, or `not_found` naming the field. */
  get(id: RequestId): CaptureHandle {
    const entry = this.handles.get(keyOf(id));
    if (!entry) {
      throw new ProtocolError('not_found', `there is no capture with stream id ${JSON.stringify(id)} on this connection (it never ran, or more than ${this.keepEnded} captures ended since)`, { path: 'stream' });
    }
    return entry.handle;
  }

  get size(): number {
    return this.handles.size;
  }

  /** The connection closed: stop what runs and forget every ring. */
  dropAll(): void {
    for (const { handle, ended, lease } of this.handles.values()) {
      if (!ended) handle.stop();
      lease?.release();
    }
    this.handles.clear();
    this.endedOrder.length = 0;
  }
}
