import type { PcapRecord } from '../pcap/format.js';

export interface RingEntry {
  n: number;
  rec: PcapRecord;
}

/** Per-record bookkeeping counted against the budget, so a flood of tiny packets is bounded too. */
const OVERHEAD = 64;

/**
 * The packets of one capture, bounded by bytes (DESIGN §7): pushing past the budget evicts the
 * oldest and counts them. Packets are numbered from 1 in arrival order, so `get(n)` is an index
 * computation, not a search.
 */
export class CaptureRing {
  private slots: (RingEntry | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  evicted = 0;

  constructor(readonly maxBytes: number) {}

  push(entry: RingEntry): void {
    this.slots.push(entry);
    this.bytes += entry.rec.data.length + OVERHEAD;
    while (this.bytes > this.maxBytes && this.head < this.slots.length - 1) {
      const old = this.slots[this.head];
      if (old !== undefined) this.bytes -= old.rec.data.length + OVERHEAD;
      this.slots[this.head] = undefined;
      this.head++;
      this.evicted++;
    }
    // Compact now and then so evicted slots do not pile up.
    if (this.head > 4096 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  get(n: number): RingEntry | undefined {
    const first = this.slots[this.head];
    if (first === undefined) return undefined;
    const e = this.slots[this.head + (n - first.n)];
    return e !== undefined && e.n === n ? e : undefined;
  }

  get size(): number {
    return this.slots.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  *entries(): IterableIterator<RingEntry> {
    for (let i = this.head; i < this.slots.length; i++) {
      const e = this.slots[i];
      if (e !== undefined) yield e;
    }
  }

  *records(): IterableIterator<PcapRecord> {
    for (let i = this.head; i < this.slots.length; i++) {
      const e = this.slots[i];
      if (e !== undefined) yield e.rec;
    }
  }
}
