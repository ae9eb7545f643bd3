import { ProtocolError } from '../../protocol/src/errors.js';

/**
 * What captures may hold in one helper (issue 13 item 5): a hostile or careless client used to
 * start 100 captures, each with a ring of up to 1 GiB (20 under `ping -f` took the helper from 77
 * to 623 MB). Now: a few running captures per connection, a few more in all, and the rings'
 * sizes summed against one budget — a running capture counts its ring's limit (it may fill it),
 * an ended one that is kept for capture.packet/save counts what its ring holds. A capture that
 * does not fit first pushes out its own connection's oldest ended captures, then is refused with
 * a sentence saying what to do.
 */
export const MAX_RUNNING_PER_CONNECTION = 4;
export const MAX_RUNNING_TOTAL = 16;
export const RING_BUDGET_BYTES = 256 * 1024 * 1024;

const MiB = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

export interface CaptureLease {
  /** The capture ended; its ring (now `heldBytes`) is kept for reading. */
  ended(heldBytes: number): void;
  /** Forgotten (pushed out, or its connection closed): its bytes are free again. */
  release(): void;
}

interface Entry {
  owner: object;
  running: boolean;
  bytes: number;
  /** Frees the capture's ring in its connection's registry (for pushing out an ended one). */
  forget: () => void;
  seq: number;
}

export class CaptureBudget {
  private readonly entries = new Set<Entry>();
  private seq = 0;

  constructor(
    readonly limits = { perConnection: MAX_RUNNING_PER_CONNECTION, total: MAX_RUNNING_TOTAL, ringBytes: RING_BUDGET_BYTES },
  ) {}

  get heldBytes(): number {
    let n = 0;
    for (const e of this.entries) n += e.bytes;
    return n;
  }

  get running(): number {
    return [...this.entries].filter((e) => e.running).length;
  }

  /**
   * Room for a new capture of `owner` (a connection) with a ring of `ringBytes`, or a ProtocolError
   * (`unavailable`, naming ringBytes when that is what does not fit). `forget` is how the registry
   * lets go of this capture once it has ended, should a later one need its bytes.
   */
  reserve(owner: object, ringBytes: number, forget: () => void): CaptureLease {
    const mine = [...this.entries].filter((e) => e.owner === owner && e.running).length;
    if (mine >= this.limits.perConnection) {
      throw new ProtocolError('unavailable', `this page already runs ${mine} captures, the most one connection may run at once: stop one first`);
    }
    if (this.running >= this.limits.total) {
      throw new ProtocolError('unavailable', `netloom already runs ${this.running} captures, the most it runs at once (all pages and windows together): stop one first`);
    }
    if (ringBytes > this.limits.ringBytes) {
      throw new ProtocolError('invalid', `a capture keeps at most ${MiB(this.limits.ringBytes)} of packets; ringBytes asks for ${MiB(ringBytes)}`, { path: 'ringBytes' });
    }
    // Push out this connection's ended captures, oldest first, until the new ring fits.
    const ended = [...this.entries].filter((e) => e.owner === owner && !e.running).sort((a, b) => a.seq - b.seq);
    while (this.heldBytes + ringBytes > this.limits.ringBytes && ended.length > 0) ended.shift()?.forget();
    if (this.heldBytes + ringBytes > this.limits.ringBytes) {
      const free = Math.max(0, this.limits.ringBytes - this.heldBytes);
      throw new ProtocolError(
        'unavailable',
        `captures keep at most ${MiB(this.limits.ringBytes)} of packets in all and ${MiB(this.heldBytes)} are taken by ${this.entries.size} capture(s): stop one, or ask for a ring of at most ${MiB(free)} (ringBytes)`,
        { path: 'ringBytes', details: { heldBytes: this.heldBytes, budgetBytes: this.limits.ringBytes } },
      );
    }
    const entry: Entry = { owner, running: true, bytes: ringBytes, forget, seq: this.seq++ };
    this.entries.add(entry);
    return {
      ended: (heldBytes) => {
        entry.running = false;
        entry.bytes = heldBytes;
      },
      release: () => void this.entries.delete(entry),
    };
  }
}

/** The budget of this helper process, shared by all its connections. */
export const processCaptureBudget = new CaptureBudget();
