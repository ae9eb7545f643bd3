import { Writable } from 'node:stream';
import { hostNameOf, type HostEntry, type HostTarget } from '../../protocol/src/hosts.js';
import { mergeSnapshots, type HostPicture } from '../../protocol/src/merge-snapshots.js';
import { Snapshot } from '../../protocol/src/snapshot.js';
import { runRemoteCommand, type RemoteCommandIo } from './remote-command.js';
import type { BootstrapOptions } from './ssh-bootstrap.js';

/**
 * `netloom --host a --host b snapshot` (issue 14): every host read at the same time over ssh, one
 * snapshot of them all (protocol/merge-snapshots.ts: ids `host:NAME/…`, `hosts`, `tunnels`). A
 * host that could not be read is listed as failed with the reason, and the exit status says so.
 */
function collector(): { stream: Writable; text: () => string } {
  const parts: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(parts).toString('utf8') };
}

async function readOne(target: HostTarget, io: RemoteCommandIo, opts: BootstrapOptions): Promise<HostPicture> {
  const out = collector();
  const err = collector();
  const code = await runRemoteCommand(target, ['snapshot'], { ...io, stdout: out.stream, stderr: err.stream }, opts);
  const entry: HostEntry = { name: hostNameOf(target), local: false, destination: target.destination, hostname: null, kernel: null, state: 'live', error: null, takenAt: null };
  const parsed = code === 0 ? Snapshot.safeParse(JSON.parse(out.text() || 'null')) : null;
  if (parsed === null || !parsed.success) {
    const why = err.text().trim().replace(/^netloom: /, '') || `the snapshot of ${target.destination} was not valid`;
    return { entry: { ...entry, state: 'failed', error: why }, snapshot: null };
  }
  const s = parsed.data;
  return { entry: { ...entry, hostname: s.host.hostname, kernel: s.host.kernel, takenAt: s.takenAt }, snapshot: s };
}

export async function runMergedSnapshot(targets: readonly HostTarget[], args: readonly string[], io: RemoteCommandIo, opts: BootstrapOptions = {}): Promise<number> {
  if (args[0] !== 'snapshot' || args.slice(1).some((a) => a !== '--pretty')) {
    io.stderr.write('netloom: with several --host, only `snapshot [--pretty]` (one snapshot of every host) and `explain NS@HOST NS@HOST …` run\n');
    return 2;
  }
  const names = targets.map(hostNameOf);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    io.stderr.write(`netloom: two --host are both called "${twice}"\n`);
    return 2;
  }
  const pictures = await Promise.all(targets.map((t) => readOne(t, io, opts)));
  const merged = mergeSnapshots(pictures);
  io.stdout.write((args.includes('--pretty') ? JSON.stringify(merged, null, 2) : JSON.stringify(merged)) + '\n');
  for (const p of pictures) if (p.entry.error !== null) io.stderr.write(`netloom: ${p.entry.name}: ${p.entry.error}\n`);
  return pictures.some((p) => p.snapshot === null) ? 1 : 0;
}
