import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { HelperClient } from '../../protocol/src/client.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { HostEntry, HostState, HostTarget } from '../../protocol/src/hosts.js';
import { hostNameOf } from '../../protocol/src/hosts.js';
import type { TopologyWatchData } from '../../protocol/src/methods.js';
import { applyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { openSession, type BootstrapOptions, type Session } from './ssh-bootstrap.js';
import { HostError, hostError } from './ssh-errors.js';
import { sshTransport } from './ssh-transport.js';
import { SudoPrompt } from './sudo-prompt.js';

export interface RemoteHostOptions extends BootstrapOptions {
  /** Reconnect delays in ms after the link drops (then the last one, repeated). */
  backoffMs?: number[];
  /** Ask the app for sudo's password when sudo there wants one (`hosts.password`); else refuse. */
  interactiveSudo?: boolean;
  /** Called on every change of state or picture. */
  onChange?: (host: RemoteHost, what: { snapshot?: Snapshot; patch?: TopologyWatchData }) => void;
}

const PROBLEMS_NOT_RETRIED = new Set(['host-key', 'auth', 'no-sudo', 'sudo-denied', 'sudo-wrong-password', 'sudo-password', 'sudo-tty', 'bundle']);

/**
 * One remote host (issue 14): its helper over ssh, its live picture, and what to do when the
 * link drops — keep the picture, mark it stale, reconnect with backoff; a problem only the
 * user can fix (host key, login, sudo) stops it as `failed` with the sentence that says why.
 */
export class RemoteHost {
  readonly name: string;
  state: HostState = 'connecting';
  error: string | null = null;
  snapshot: Snapshot | null = null;
  client: HelperClient | null = null;
  /** How long the last connect took, step by step (ms). */
  timing: { stageMs: number; readyMs: number; snapshotMs: number } | null = null;
  /** The connect step under way, shown while connecting. */
  progress: string | null = null;
  private closing = false;
  /** Every ssh of this host still running (closed hosts wait for them: nothing left on the remote host). */
  private readonly ssh = new Set<ChildProcessWithoutNullStreams>();
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private readonly sudo: SudoPrompt | null;

  constructor(
    readonly target: HostTarget,
    private readonly opts: RemoteHostOptions = {},
  ) {
    this.name = hostNameOf(target);
    this.sudo = opts.interactiveSudo ? new SudoPrompt(() => this.opts.onChange?.(this, {})) : null;
  }

  /** The page's answer to "sudo wants a password" (null declines); false when nothing was asked. */
  answerPassword(password: string | null): boolean {
    return this.sudo?.answer(password) ?? false;
  }

  private step(progress: string | null): void {
    this.progress = progress;
    this.opts.onChange?.(this, {});
  }

  entry(): HostEntry {
    return {
      name: this.name,
      local: false,
      destination: this.target.port !== undefined ? `${this.target.destination}:${this.target.port}` : this.target.destination,
      hostname: this.snapshot?.host.hostname ?? null,
      kernel: this.snapshot?.host.kernel ?? null,
      state: this.state,
      error: this.error,
      takenAt: this.snapshot?.takenAt ?? null,
      ...(this.state === 'connecting' || this.state === 'stale' ? { progress: this.progress } : {}),
      ...(this.sudo?.asking ? { needsPassword: true } : {}),
    };
  }

  /** Connects (or reconnects) and resolves with the first picture; rejects with a HostError. */
  async connect(): Promise<Snapshot> {
    this.closing = false;
    this.setState(this.snapshot === null ? 'connecting' : 'stale', this.error);
    const t0 = performance.now();
    this.step('logging in over ssh');
    const ask = this.sudo ? { askPassword: () => this.sudo?.ask() ?? Promise.resolve(null) } : {};
    const session = await openSession(this.target, ['helper', '--stdio'], { ...this.opts, ...ask, onStep: (s) => this.step(s) });
    const ssh = session.child;
    this.ssh.add(ssh);
    ssh.once('close', () => this.ssh.delete(ssh));
    // Closed while ssh was logging in or copying the helper: end this session too.
    if (this.closing) {
      endSsh(ssh);
      throw new Error('closed');
    }
    const client = new HelperClient(sshTransport(ssh, session.output));
    try {
      return await this.first(session, client, t0);
    } catch (e) {
      // A session that failed before its first picture ends here, not when the process does.
      if (this.client === client) this.client = null;
      client.close();
      throw e;
    }
  }

  private async first(session: Session, client: HelperClient, t0: number): Promise<Snapshot> {
    this.step('starting the helper');
    // Whatever fails before the first picture, ssh's exit and stderr say why (sudo refusing a
    // password ends ssh too, and the client only knows that its transport closed).
    const closed = new Promise<HostError>((resolve) => session.child.on('close', (code: number | null) => resolve(hostError(this.name, session.stderr(), code))));
    const failed = closed.then((e): never => {
      throw e;
    });
    failed.catch(() => {});
    const orWhyClosed = async <T>(p: Promise<T>): Promise<T> => {
      try {
        return await Promise.race([p, failed]);
      } catch {
        throw await closed;
      }
    };
    await orWhyClosed(client.ready);
    this.step('reading the network');
    const t1 = performance.now();
    this.client = client;
    const first = await orWhyClosed(this.watch(client));
    const t2 = performance.now();
    this.timing = { stageMs: session.stagedMs, readyMs: t1 - t0, snapshotMs: t2 - t0 };
    client.onClose(() => this.lost(session.stderr()));
    this.attempt = 0;
    return first;
  }

  /** topology.watch: the first snapshot resolves; later patches keep the picture live. */
  private watch(client: HelperClient): Promise<Snapshot> {
    return new Promise((resolve, reject) => {
      let first = true;
      client.watch(
        'topology.watch',
        {},
        (data) => {
          if ('snapshot' in data) this.snapshot = data.snapshot;
          else if (this.snapshot !== null) this.snapshot = applyPatch(this.snapshot, data.patch);
          if (first) {
            first = false;
            this.setState('live', null);
            resolve(data && 'snapshot' in data ? data.snapshot : (this.snapshot as Snapshot));
            this.opts.onChange?.(this, { snapshot: this.snapshot ?? undefined });
          } else this.opts.onChange?.(this, { patch: data });
        },
        (end) => {
          if (first) reject(new ProtocolError(end.code ?? 'failed', end.message ?? `topology.watch ended: ${end.reason}`));
        },
      );
    });
  }

  private lost(stderr: string): void {
    this.client = null;
    if (this.closing) return;
    const err = hostError(this.name, stderr, null, true);
    this.setState('stale', err.message);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delays = this.opts.backoffMs ?? [1000, 2000, 4000, 8000, 15000];
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 15000;
    this.attempt++;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.start();
    }, delay);
    this.retry.unref?.();
  }

  /** Connects in the background: a problem only the user can fix ends as `failed`, anything else is retried. */
  start(): void {
    this.connect().catch((e: unknown) => {
      if (this.closing) return;
      const problem = e instanceof HostError ? e.problem : 'failed';
      const message = e instanceof Error ? e.message : String(e);
      // A wrong password asked for in the app: say so and ask again (a new ssh, a new sudo).
      if (problem === 'sudo-wrong-password' && this.sudo !== null) {
        this.setState('connecting', `${message}: enter it again`);
        return this.start();
      }
      if (PROBLEMS_NOT_RETRIED.has(problem)) this.setState('failed', message);
      else {
        this.setState(this.snapshot === null ? 'connecting' : 'stale', message);
        this.scheduleReconnect();
      }
    });
  }

  private setState(state: HostState, error: string | null): void {
    if (this.state === state && this.error === error) return;
    this.state = state;
    this.error = error;
    this.opts.onChange?.(this, {});
  }

  /** Ends the session: the remote helper's input closes, it exits, root's copy and the user's are removed. */
  close(): void {
    this.closing = true;
    this.sudo?.answer(null);
    if (this.retry) clearTimeout(this.retry);
    this.client?.close();
    this.client = null;
    // A session still logging in, or one that never got a client: its helper's input ends too.
    for (const c of this.ssh) endSsh(c);
  }

  /** Resolves once this host's ssh has exited (at once when none runs): after close(), its remote helper is gone. */
  async ended(): Promise<void> {
    await Promise.all([...this.ssh].map((c) => new Promise((resolve) => c.once('close', resolve))));
  }
}

/** As sshTransport's close: the remote helper's input ends (it exits and removes its copies); ssh follows, or is ended. */
function endSsh(child: ChildProcessWithoutNullStreams): void {
  child.stdin.end();
  setTimeout(() => child.kill('SIGTERM'), 3000).unref();
}
