import type { PrivilegeState } from '../protocol/src/index.js';
import type { HelperConnection } from './helper-connection.js';
import type { ElevationFailure } from './helper-elevated.js';
import type { ElevationState } from './helper-launcher.js';

export interface PrivilegeFlowDeps {
  uid: number | undefined;
  elevation: ElevationState;
  /** Starts the root helper through the system prompt (launchElevatedHelper with these hooks). */
  launchElevated(hooks: { onConnected: () => void; onFailure: (kind: ElevationFailure, reason: string) => void }): HelperConnection;
  supervisor: { adopt(conn: HelperConnection, reason: string): void };
  onChange(state: PrivilegeState): void;
  log(line: string): void;
}

/**
 * How the app gets its privileges without ever making the person wait (DESIGN §8, issue 6):
 * the window opens at once on an unprivileged helper (the supervisor's), while the system
 * prompt is up; when the root helper connects it takes over (supervisor.adopt). A refusal
 * leaves the unprivileged helper running and the page read-only with a banner; only "Grant
 * access" asks again. A privileged helper that dies is restarted unprivileged — never a
 * prompt the person did not ask for.
 */
export class PrivilegeFlow {
  private current: PrivilegeState;
  private pending: HelperConnection | null = null;

  constructor(private readonly deps: PrivilegeFlowDeps) {
    this.current = deps.uid === 0 ? { state: 'root', reason: null } : { state: 'unprivileged', reason: 'not asked yet' };
  }

  get state(): PrivilegeState {
    return this.current;
  }

  /** At start-up (and on "Grant access"): ask, unless root, already asking or refused. */
  ask(): void {
    const { deps } = this;
    if (this.current.state === 'root' || this.current.state === 'privileged' || this.pending !== null) return;
    if (!deps.elevation.shouldAsk) return this.set({ state: 'unprivileged', reason: deps.elevation.reason });
    this.set({ state: 'asking', reason: null });
    let adopted = false;
    const conn = deps.launchElevated({
      onConnected: () => {
        if (this.pending !== conn) return void conn.close();
        adopted = true;
        this.pending = null;
        deps.supervisor.adopt(conn, 'switching to the privileged helper');
        this.set({ state: 'privileged', reason: null });
      },
      onFailure: (kind, reason) => deps.elevation.failed(kind, reason),
    });
    this.pending = conn;
    conn.onClose((reason) => {
      if (adopted || this.pending !== conn) return;
      this.pending = null;
      this.set({ state: 'unprivileged', reason: deps.elevation.reason ?? reason });
    });
  }

  /** "Grant access": forget a refusal and ask through the system prompt again. */
  grantAccess(): void {
    this.deps.elevation.grantAccess();
    this.ask();
  }

  /** The supervisor's helper died; if it was the privileged one, its restart runs as the user. */
  helperCrashed(reason: string): void {
    if (this.current.state !== 'privileged') return;
    this.set({ state: 'unprivileged', reason: `the privileged helper stopped (${reason}); Grant access to start it again` });
  }

  /** App quit: a prompt still up is abandoned and its helper, if it comes, ended. */
  async stop(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    await p?.close();
  }

  private set(next: PrivilegeState): void {
    this.current = next;
    this.deps.log(`privileges: ${next.state}${next.reason ? ` (${next.reason})` : ''}`);
    this.deps.onChange(next);
  }
}
