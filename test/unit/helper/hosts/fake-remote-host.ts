import type { HostEntry, HostState, HostTarget } from '../../../../protocol/src/hosts.js';
import { hostNameOf } from '../../../../protocol/src/hosts.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import type { RemoteHost, RemoteHostOptions } from '../../../../helper/hosts/remote-host.js';

/** A RemoteHost without ssh: the test sets its state and whether sudo is asking for a password. */
export class FakeRemoteHost {
  readonly name: string;
  state: HostState = 'connecting';
  error: string | null = null;
  snapshot: Snapshot | null = null;
  client = null;
  started = 0;
  closed = 0;
  asking = false;
  readonly answers: (string | null)[] = [];
  constructor(
    readonly target: HostTarget,
    readonly opts: RemoteHostOptions,
  ) {
    this.name = hostNameOf(target);
  }
  entry(): HostEntry {
    return { name: this.name, local: false, destination: this.target.destination, hostname: null, kernel: null, state: this.state, error: this.error, takenAt: null, ...(this.asking ? { needsPassword: true } : {}) };
  }
  start(): void {
    this.started++;
  }
  ended(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    this.closed++;
  }
  answerPassword(p: string | null): boolean {
    if (!this.asking) return false;
    this.asking = false;
    this.answers.push(p);
    return true;
  }
  /** Tells the set (and every page) something changed. */
  changed(): void {
    this.opts.onChange?.(this as unknown as RemoteHost, {});
  }
}

export function fakeHosts(): { made: FakeRemoteHost[]; make: (t: HostTarget, o: RemoteHostOptions) => RemoteHost } {
  const made: FakeRemoteHost[] = [];
  return {
    made,
    make: (t, o) => {
      const h = new FakeRemoteHost(t, o);
      made.push(h);
      return h as unknown as RemoteHost;
    },
  };
}
