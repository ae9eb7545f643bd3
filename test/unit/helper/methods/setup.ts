import { HelperClient } from '../../../../protocol/src/client.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import type { Exec } from '../../../../helper/exec.js';
import { serveConnection } from '../../../../helper/server/connection.js';
import type { ServerContext } from '../../../../helper/server/context.js';
import { LiveTopology } from '../../../../helper/watch/live-topology.js';
import { fakeContext, FakeSource, memoryPair } from '../server/fakes.js';

/** A served connection over an in-memory pipe: the real handlers, a fake exec, a hand-driven watcher. */
export async function served(exec: Exec, world: Snapshot, tweak: (ctx: ServerContext) => void = () => {}) {
  const source = new FakeSource(world);
  await source.refreshAll();
  const pokes: { ids: string[]; rescan: boolean }[] = [];
  const live = new LiveTopology(source, () => ({ stop: () => {}, monitorCount: () => 0, poke: (ids, rescan) => void pokes.push({ ids, rescan }) }));
  const ctx = fakeContext(live, { exec, source });
  tweak(ctx);
  const pair = memoryPair();
  const conn = serveConnection(pair.server, ctx);
  const client = new HelperClient(pair.client);
  return { ctx, client, pair, conn, pokes, live, source };
}
