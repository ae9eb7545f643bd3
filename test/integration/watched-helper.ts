import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { HelperClient } from '../../protocol/src/client.js';
import type { Transport } from '../../protocol/src/client.js';
import { applyPatch } from '../../protocol/src/patch.js';
import type { TopologyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { assertInSandbox } from '../sandbox.js';

/**
 * The built `netloom helper --stdio`, spoken to over the real protocol, with a live view kept
 * from topology.watch (snapshot, then patches applied as they come). Shared by the integration
 * tests that watch the helper while the sandbox's networking changes.
 */
export interface WatchedHelper {
  helper: ChildProcessWithoutNullStreams;
  client: HelperClient;
  /** The view as the patches so far make it. */
  view(): Snapshot | null;
  /** Every patch received, with when it arrived. */
  patches: { at: number; patch: TopologyPatch }[];
  /** Resolves with ms since `t0` once the view satisfies `ok`; rejects after `limit` ms. */
  until(ok: (s: Snapshot) => boolean, opts?: { t0?: number; limit?: number }): Promise<number>;
}

const root = join(__dirname, '..', '..');
export const hostId = (): string => `ns:${/\d+/.exec(readlinkSync('/proc/self/ns/net'))![0]}`;
export const nsNamed = (s: Snapshot, name: string) => s.namespaces.find((n) => n.name === name);
export const ifc = (s: Snapshot, nsId: string | undefined, name: string) => s.interfaces.find((i) => i.ns === nsId && i.name === name);

/** The protocol over a helper child's stdin/stdout (`netloom helper --stdio`). */
export function stdioTransport(child: ChildProcessWithoutNullStreams): Transport {
  return {
    send: (t) => void child.stdin.write(t),
    onText: (cb) => void child.stdout.on('data', (d: Buffer) => cb(d.toString('utf8'))),
    onClose: (cb) => void child.on('exit', (code) => cb(`exit ${code}`)),
    close: () => child.stdin.end(),
  };
}

/** Builds the helper bundle, starts it, and resolves once the first snapshot is in. */
export async function startWatchedHelper(env: NodeJS.ProcessEnv = {}): Promise<WatchedHelper> {
  assertInSandbox();
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--helper-only'], { stdio: 'ignore' });
  const helper = spawn(process.execPath, [join(root, 'out/helper/netloom.cjs'), 'helper', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  helper.stderr.on('data', (d: Buffer) => process.stderr.write(`[helper] ${d}`));
  const client = new HelperClient(stdioTransport(helper));
  await client.ready;
  let view: Snapshot | null = null;
  const patches: WatchedHelper['patches'] = [];
  const waiters = new Set<() => void>();
  await new Promise<void>((resolve, reject) => {
    client.watch(
      'topology.watch',
      {},
      (data) => {
        if ('snapshot' in data) {
          view = data.snapshot;
          resolve();
        } else if (view) {
          patches.push({ at: performance.now(), patch: data.patch });
          view = applyPatch(view, data.patch);
        }
        for (const w of [...waiters]) w();
      },
      (end) => reject(new Error(`stream ended: ${JSON.stringify(end)}`)),
    );
  });
  const until: WatchedHelper['until'] = (ok, { t0 = performance.now(), limit = 1000 } = {}) =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (view && ok(view)) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(performance.now() - t0);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the view did not change as expected within ${limit} ms`));
      }, limit);
      waiters.add(check);
      check();
    });
  return { helper, client, view: () => view, patches, until };
}
