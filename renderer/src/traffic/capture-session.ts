import { ProtocolError } from '../../../protocol/src/index.js';
import type { CaptureEnd, CaptureParamsInput, CaptureStats, HelperClient, PacketSummary, StreamEnd, StreamHandle } from '../../../protocol/src/index.js';

/** Rows kept in the list; older ones are let go (the helper's ring is bounded too). */
export const MAX_ROWS = 500_000;

export interface CaptureTarget {
  /** Interface id, `ns:<inode>/<ifindex>`. */
  id: string;
  ns: string;
  name: string;
  nsName: string;
}

export type CaptureStatus = 'idle' | 'starting' | 'running' | 'ended';

export interface CaptureView {
  status: CaptureStatus;
  /** The helper's stream id (for capture.packet / follow / save). */
  stream: number | string | null;
  packets: readonly PacketSummary[];
  /** Rows let go from the front to keep the list bounded. */
  trimmed: number;
  stats: CaptureStats | null;
  end: CaptureEnd | null;
  streamEnd: StreamEnd | null;
  params: CaptureParamsInput;
  error: string | null;
  startedAt: number | null;
  appliedFilter: string | null;
  /** Stop was asked for; the end is on its way. */
  stopping: boolean;
  /** Bumped on every change (the list re-renders on it, not on array identity). */
  version: number;
}

/**
 * One capture tab: its settings, the live rows and the end. Rows are appended in place
 * (no copy per batch) and listeners are woken at most once per animation frame.
 */
export class CaptureSession {
  readonly key: string;
  private view: CaptureView;
  private rows: PacketSummary[] = [];
  private handle: StreamHandle | null = null;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  constructor(
    readonly target: CaptureTarget,
    private readonly client: () => HelperClient | null,
    private readonly frame: (cb: () => void) => void = defaultFrame,
  ) {
    this.key = `${target.id}#${Math.random().toString(36).slice(2, 8)}`;
    this.view = { status: 'idle', stream: null, packets: this.rows, trimmed: 0, stats: null, end: null, streamEnd: null, params: { ns: target.ns, interface: target.name }, error: null, startedAt: null, appliedFilter: null, stopping: false, version: 0 };
  }

  get(): CaptureView {
    return this.view;
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  start(params: Omit<CaptureParamsInput, 'ns' | 'interface'>): void {
    const client = this.client();
    if (!client) return this.set({ error: 'Not connected to the helper.' }, true);
    if (this.view.status === 'starting' || this.view.status === 'running') return;
    this.rows = [];
    const full: CaptureParamsInput = { ...params, ns: this.target.ns, interface: this.target.name };
    this.set({ status: 'starting', packets: this.rows, trimmed: 0, stats: null, end: null, streamEnd: null, error: null, params: full, startedAt: Date.now(), appliedFilter: null, stopping: false }, true);
    const handle = client.watch(
      'capture.start',
      full,
      (data) => {
        if (this.handle !== handle) return;
        if ('batch' in data) {
          const b = data.batch;
          for (const p of b.packets) this.rows.push(p);
          let trimmed = this.view.trimmed;
          if (this.rows.length > MAX_ROWS) {
            const cut = this.rows.length - MAX_ROWS;
            this.rows.splice(0, cut);
            trimmed += cut;
          }
          this.set({ status: 'running', packets: this.rows, stats: b.stats, trimmed, ...(b.appliedFilter !== undefined ? { appliedFilter: b.appliedFilter } : {}) });
        } else this.set({ status: 'ended', stopping: false, end: data.end, stats: data.end.stats }, true);
      },
      (end) => {
        if (this.handle !== handle) return;
        const failed = end.code !== undefined && this.view.status === 'starting';
        this.set({ status: 'ended', stopping: false, streamEnd: end, ...(failed ? { error: end.message ?? end.reason } : {}) }, true);
      },
    );
    this.handle = handle;
    this.set({ stream: handle.id });
    // The first batch comes only with packets: the capture runs once the start is answered.
    void client.ready.then(() => setTimeout(() => this.view.status === 'starting' && this.handle === handle && this.set({ status: 'running' }, true), 300));
  }

  stop(): void {
    if (this.view.status !== 'running' && this.view.status !== 'starting') return;
    this.handle?.cancel();
    this.set({ stopping: true }, true);
  }

  /** Closing the tab: the helper stops tcpdump when the stream is cancelled. */
  dispose(): void {
    if (this.view.status === 'running' || this.view.status === 'starting') this.handle?.cancel();
    this.listeners.clear();
  }

  private set(next: Partial<CaptureView>, now = false): void {
    this.view = { ...this.view, ...next, version: this.view.version + 1 };
    if (now) return this.emit();
    if (this.scheduled) return;
    this.scheduled = true;
    this.frame(() => {
      this.scheduled = false;
      this.emit();
    });
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}

function defaultFrame(cb: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
}

/** The sentence of a failed call, for inline errors. */
export function errorText(e: unknown): string {
  return e instanceof ProtocolError || e instanceof Error ? e.message : String(e);
}
