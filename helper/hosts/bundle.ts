import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import type { TarFile } from './tar-writer.js';

/**
 * What runs as root on a remote host that has no netloom (issue 14): this build's helper — the
 * loader, the core bundle, its code cache, netloom-nsread when the remote's CPU is ours — and
 * this Node.js when the remote has none we can use. Each file's SHA-256 is checked on the remote,
 * by root, on root's own copy, before anything of it runs (remote-script.ts).
 */
export interface BundleFile extends TarFile {
  sha256: string;
}

/** uname -m of this machine, the way the remote will print its own. */
export function localMachine(): string {
  return ({ x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i686', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[arch()] ?? arch();
}

/** out/helper beside the running bundle, or of the checkout when running from source (tests). */
export function helperDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const d of [here, join(here, '..', '..', 'out', 'helper')]) if (existsSync(join(d, 'netloom-core.cjs')) && existsSync(join(d, 'netloom.cjs'))) return d;
  throw new Error('netloom is not built (no out/helper/netloom-core.cjs): run `npm run build` first');
}

const cache = new Map<string, BundleFile>();

function file(path: string, name: string, mode: number): BundleFile {
  let f = cache.get(path);
  if (f === undefined) {
    const data = readFileSync(path);
    f = { name, mode, data, sha256: createHash('sha256').update(data).digest('hex') };
    cache.set(path, f);
  }
  return f;
}

export interface RemoteFacts {
  machine: string;
  /** A root-owned node on the remote and its version (`v20.20.2`), or null. */
  node: { path: string; version: string } | null;
}

/** Node ≥ 20 runs the helper; an older or missing one means ours travels too. */
export function remoteNodeUsable(facts: RemoteFacts): boolean {
  const m = /^v(\d+)\./.exec(facts.node?.version ?? '');
  return m !== null && Number(m[1]) >= 20;
}

export interface Bundle {
  files: BundleFile[];
  /** The node the remote runs: its own (absolute path) or ours inside the bundle (`node`). */
  node: { remotePath: string } | { bundled: true };
}

/** The files to send, chosen by what the remote said about itself. */
export function bundleFor(facts: RemoteFacts, opts: { forceOwnNode?: boolean; helperDir?: string } = {}): Bundle {
  const dir = opts.helperDir ?? helperDir();
  const files = [file(join(dir, 'netloom.cjs'), 'netloom.cjs', 0o500), file(join(dir, 'netloom-core.cjs'), 'netloom-core.cjs', 0o400)];
  const sameMachine = facts.machine === localMachine();
  const useRemoteNode = !opts.forceOwnNode && remoteNodeUsable(facts) && facts.node !== null;
  if (!useRemoteNode && !sameMachine) {
    throw new Error(`the remote host is ${facts.machine} and has no Node.js 20 or newer; netloom's own Node.js is for ${localMachine()}: install nodejs (20+) there`);
  }
  // V8's code cache is only taken by the very same Node.js.
  const sameNode = !useRemoteNode || facts.node?.version === process.version;
  const cacheFile = join(dir, 'netloom-core.cjs.cache');
  if (sameNode && existsSync(cacheFile)) files.push(file(cacheFile, 'netloom-core.cjs.cache', 0o400));
  const nsread = join(dir, 'netloom-nsread');
  // Built here for this CPU: elsewhere the remote reads its namespaces with ip (slower, same picture).
  if (sameMachine && existsSync(nsread)) files.push(file(nsread, 'netloom-nsread', 0o500));
  if (!useRemoteNode) files.push(file(process.execPath, 'node', 0o500));
  return { files, node: useRemoteNode && facts.node ? { remotePath: facts.node.path } : { bundled: true } };
}
