import { readFileSync, readdirSync } from 'node:fs';
import type { CaptureBatch, CaptureEnd, PacketSummary } from '../../protocol/src/index.js';
import { listNamespaces } from '../../helper/discover/namespaces.js';
import type { NsTarget } from '../../helper/discover/ns-target.js';
import type { CaptureSink } from '../../helper/streams/capture.js';

/** pids whose command is tcpdump, from the process table. */
export function tcpdumpPids(): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/comm`, 'utf8').trim() === 'tcpdump') out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** A resolver over a fresh namespace listing, plus a name → id lookup. */
export async function targets(): Promise<{ resolve: (id: string) => NsTarget | undefined; id: (name: string) => string }> {
  const found = await listNamespaces();
  return {
    resolve: (id) => found.find((f) => f.target.id === id)?.target,
    id: (name) => {
      const f = found.find((x) => x.name === name || (name === 'host' && x.kind === 'host'));
      if (!f) throw new Error(`no namespace ${name}`);
      return f.target.id;
    },
  };
}

/** A sink that records everything and lets a test wait for packets. */
export class RecordingSink implements CaptureSink {
  batches: CaptureBatch[] = [];
  packets: PacketSummary[] = [];
  end: CaptureEnd | null = null;
  private waiters: (() => void)[] = [];
  onBatch(packets: PacketSummary[], stats: CaptureBatch['stats']): void {
    this.batches.push({ packets, stats });
    this.packets.push(...packets);
    for (const w of this.waiters.splice(0)) w();
  }
  onEnd(end: CaptureEnd): void {
    this.end = end;
    for (const w of this.waiters.splice(0)) w();
  }
  async waitFor(ok: () => boolean, ms = 5000): Promise<void> {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > ms) throw new Error('timed out waiting');
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
}
