import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { CaptureBatch, CaptureEnd, PacketSummary } from '../../protocol/src/index.js';
import { listNamespaces } from '../../helper/discover/namespaces.js';
import type { NsTarget } from '../../helper/discover/ns-target.js';
import type { CaptureSink } from '../../helper/streams/capture.js';

function inodeOf(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    const after = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '';
    return Number(after.split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * tcpdump processes that belong to this test run: living in the sandbox's namespaces (its own,
 * and every /run/netns name — /run is private to the sandbox) or descended from this process.
 * Other sessions' tcpdumps elsewhere on the machine share /proc but are not ours to count.
 */
export function tcpdumpPids(): number[] {
  const ours = new Set<number>();
  const own = inodeOf('/proc/self/ns/net');
  if (own !== null) ours.add(own);
  for (const n of readdirSync('/run/netns')) {
    const ino = inodeOf(`/run/netns/${n}`);
    if (ino !== null) ours.add(ino);
  }
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/comm`, 'utf8').trim() !== 'tcpdump') continue;
    } catch {
      continue; // gone meanwhile
    }
    const pid = Number(e);
    const ino = inodeOf(`/proc/${e}/ns/net`);
    let descendant = false;
    for (let p: number | null = pid, hops = 0; p !== null && p > 1 && hops < 64; p = parentOf(p), hops++) {
      if (p === process.pid) descendant = true;
    }
    if ((ino !== null && ours.has(ino)) || descendant) out.push(pid);
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
