import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import type { Transport } from '../../../../protocol/src/client.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import type { Exec, Program, RunOptions, RunResult } from '../../../../helper/exec.js';
import type { LineTransport } from '../../../../helper/server/line-transport.js';
import type { ServerContext, TopologyFeed } from '../../../../helper/server/context.js';
import { Journal } from '../../../../helper/intents/journal.js';
import type { TopologySource } from '../../../../helper/watch/topology-source.js';

/** Two ends of an in-memory line pipe; delivery is async like a real pipe. */
export function memoryPair(): { client: Transport; server: LineTransport & { buffered: number }; sentByServer: string[] } {
  const toServer: ((t: string) => void)[] = [];
  const toClient: ((t: string) => void)[] = [];
  const closeServer: ((r: string) => void)[] = [];
  const closeClient: ((r: string) => void)[] = [];
  const sentByServer: string[] = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    queueMicrotask(() => {
      for (const cb of closeServer) cb('closed');
      for (const cb of closeClient) cb('closed');
    });
  };
  const server = {
    buffered: 0,
    send: (t: string) => {
      if (closed) return;
      sentByServer.push(t);
      queueMicrotask(() => toClient.forEach((cb) => cb(t)));
    },
    onText: (cb: (t: string) => void) => void toServer.push(cb),
    onClose: (cb: (r: string) => void) => void closeServer.push(cb),
    close,
    bufferedAmount(): number {
      return server.buffered;
    },
  };
  const client: Transport = {
    send: (t) => {
      if (!closed) queueMicrotask(() => toServer.forEach((cb) => cb(t)));
    },
    onText: (cb) => void toClient.push(cb),
    onClose: (cb) => void closeClient.push(cb),
    close,
  };
  return { client, server, sentByServer };
}

/** Parsed messages the server sent, in order. */
export function messages(sent: string[]): Record<string, unknown>[] {
  return sent.flatMap((chunk) => chunk.split('\n').filter((l) => l !== '')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export class FakeChild extends EventEmitter {
  exitCode: number | null = null;
  signalCode: string | null = null;
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  kill(signal: string = 'SIGTERM'): boolean {
    if (this.exitCode !== null || this.signalCode !== null) return false;
    this.signalCode = signal;
    queueMicrotask(() => this.emit('exit', null, signal));
    return true;
  }
  /** The program ends on its own (its namespace went away). */
  die(): void {
    this.exitCode = 1;
    this.emit('exit', 1, null);
  }
  get alive(): boolean {
    return this.exitCode === null && this.signalCode === null;
  }
}

/** An Exec that runs nothing and records every argv it is asked to run. */
export class RecordingExec implements Exec {
  readonly runs: string[][] = [];
  readonly spawned: { argv: string[]; child: FakeChild }[] = [];
  runOutput: (argv: readonly string[]) => string = () => '';
  /** What a program that writes binary records (netloom-nsread) prints. */
  runBytes: (argv: readonly string[]) => Buffer = () => Buffer.alloc(0);
  async run(argv: readonly [Program, ...string[]], opts?: RunOptions): Promise<RunResult> {
    this.runs.push([...argv]);
    if (opts?.binary) return { argv, stdout: '', stdoutBytes: this.runBytes(argv), stderr: '', exitCode: 0 };
    return { argv, stdout: this.runOutput(argv), stderr: '', exitCode: 0 };
  }
  spawn(argv: readonly [Program, ...string[]]): ChildProcess {
    const child = new FakeChild();
    this.spawned.push({ argv: [...argv], child });
    return child as unknown as ChildProcess;
  }
  get calls(): number {
    return this.runs.length + this.spawned.length;
  }
}

export function snapshotWith(nsNames: string[], takenAt = '2026-01-01T00:00:00.000Z'): Snapshot {
  return {
    version: 1,
    takenAt,
    host: { hostname: 'h', kernel: '6.1', iptables: 'nft' },
    namespaces: nsNames.map((name, i) => ({
      id: `ns:${100 + i}`,
      inode: 100 + i,
      name: i === 0 ? null : name,
      kind: i === 0 ? 'host' : 'named',
      pids: [],
      container: null,
      ipForward: false,
    })),
    interfaces: [],
    routes: [],
    rules: [],
    portMappings: [],
  };
}

export function withInterface(s: Snapshot, nsId: string, ifindex: number, name: string, takenAt = s.takenAt): Snapshot {
  const iface = {
    id: `${nsId}/${ifindex}`,
    ns: nsId,
    ifindex,
    name,
    kind: 'veth' as const,
    mac: null,
    mtu: 1500,
    up: false,
    operstate: 'DOWN',
    addresses: [],
    master: null,
    peer: null,
    stats: null,
  };
  return { ...s, takenAt, interfaces: [...s.interfaces.filter((i) => i.id !== iface.id), iface] };
}

/** A TopologySource whose "world" the test sets; counts every read. */
export class FakeSource implements TopologySource {
  world: Snapshot;
  private cached: Snapshot | null = null;
  readonly reads: { kind: 'all' | 'rescan' | 'ns' | 'runtimes'; ids?: string[] }[] = [];
  constructor(world: Snapshot) {
    this.world = world;
  }
  async refreshAll(): Promise<Snapshot> {
    this.reads.push({ kind: 'all' });
    return (this.cached = this.world);
  }
  async rescanNamespaces(): Promise<Snapshot> {
    this.reads.push({ kind: 'rescan' });
    return (this.cached = this.world);
  }
  async refreshNamespaces(ids: string[]): Promise<Snapshot> {
    this.reads.push({ kind: 'ns', ids });
    return (this.cached = this.world);
  }
  async refreshRuntimes(): Promise<Snapshot> {
    this.reads.push({ kind: 'runtimes' });
    return (this.cached = this.world);
  }
  current(): Snapshot | null {
    return this.cached;
  }
  target(id: string): NsTarget | undefined {
    const ns = this.cached?.namespaces.find((n) => n.id === id);
    if (!ns) return undefined;
    return { id, path: ns.name ? `/run/netns/${ns.name}` : '/proc/1/ns/net', name: ns.name, own: ns.kind === 'host' };
  }
}

/** A ServerContext over a topology feed and a fake exec; the journal lives in a fresh temp dir. */
export function fakeContext(topology: TopologyFeed, opts: { exec?: Exec; source?: TopologySource; log?: (m: string) => void } = {}): ServerContext {
  const source = opts.source ?? null;
  return {
    topology,
    log: opts.log ?? (() => {}),
    exec: opts.exec ?? new RecordingExec(),
    targets: { current: () => source?.current() ?? null, target: (id) => source?.target(id) },
    resolveTarget: async (id) => source?.target(id),
    journal: new Journal(mkdtempSync(join(tmpdir(), 'netloom-journal-'))),
  };
}
