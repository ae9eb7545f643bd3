import { LineDecoder, encodeLine } from '../protocol/src/framing.js';
import { CoreSession } from './core-session.js';
import { STABLE_MS, backoffMs } from './helper-supervisor.js';
import type { HostsProcess } from './hosts-process.js';
import type { HelperPort } from './ipc.js';

/** What the layer needs of the HelperSupervisor (the local helper core): what the relay needed. */
export type CorePort = HelperPort;

/** What the layer needs of the IPC relay (the page). */
export interface PagePort {
  fromHelper(text: string): void;
  helperCrashed(reason: string): void;
}

export interface HostsLayerDeps {
  core: CorePort;
  page: () => PagePort | null;
  spawnHosts: () => HostsProcess;
  log: (line: string) => void;
  /** False: the relay talks to the supervisor directly, as before this layer (NETLOOM_DESKTOP_HOSTS=no). */
  enabled?: boolean;
  now?: () => number;
}

/** An old bundle: `netloom hosts` is not a command there (helper/cli.ts says so and exits 2). */
const UNKNOWN_COMMAND = /unknown command "hosts"/;
/** Deaths in a row before it ever spoke, after which the window runs without the layer. */
const MAX_SILENT_DEATHS = 3;

interface Run {
  proc: HostsProcess;
  gen: number;
  startedAt: number;
}

/**
 * The desktop app's host layer (docs/multi-host.md): `netloom hosts --stdio`, run as the user so
 * ssh has the person's keys, agent and known_hosts, spliced between the IPC relay and the
 * supervisor's helper. To the relay it is the HelperPort; the supervisor's events come here.
 * A hosts process belongs to one core session: a core that crashed or was switched (the
 * privileged helper adopted) gets a fresh hosts process, so that one reads the new core's init.
 * Text of a hosts process or core that is no longer current reaches nobody.
 */
export class HostsLayer implements HelperPort {
  private direct = false;
  private run: Run | null = null;
  private gen = 0;
  private core: CoreSession;
  private attempt = 0;
  private silentDeaths = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: HostsLayerDeps) {
    this.now = deps.now ?? Date.now;
    this.direct = deps.enabled === false;
    this.core = new CoreSession(deps.log);
  }

  /** False once it fell back to the direct path (an old bundle, or NETLOOM_DESKTOP_HOSTS=no). */
  get active(): boolean {
    return !this.direct;
  }

  get running(): boolean {
    return this.direct ? this.deps.core.running : this.run !== null;
  }

  start(): void {
    if (this.direct) return this.deps.core.start();
    if (this.stopped) return;
    if (!this.deps.core.running) this.deps.core.start();
    if (this.timer !== null) {
      // A new page will not wait out a backoff meant for a crash loop.
      this.cancelTimer();
      return this.respawn();
    }
    if (this.run === null) this.spawn(true);
  }

  send(text: string): boolean {
    if (this.direct) return this.deps.core.send(text);
    return this.run?.proc.toStdin(text) ?? false;
  }

  /** A new page without privileges to keep: a fresh core and a fresh hosts process for it. */
  async restart(): Promise<void> {
    if (this.direct) return this.deps.core.restart();
    const old = this.detach();
    this.cancelTimer();
    this.attempt = 0;
    this.core = new CoreSession(this.deps.log);
    const coreDone = this.deps.core.restart();
    if (!this.stopped) this.spawn(false);
    await Promise.all([coreDone, old?.proc.close()]);
  }

  /** App quit: the hosts process's input closes (it ends its ssh sessions), then signals. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer();
    await this.detach()?.proc.close();
  }

  /** The supervisor's onText: the current core's raw text, for fd 3 of the hosts process. */
  coreText(text: string): void {
    if (this.direct) return this.deps.page()?.fromHelper(text);
    if (this.stopped) return;
    const lines = this.core.push(text);
    if (lines === '') return;
    // In a backoff the hosts process is gone: these answer what it asked, and go nowhere.
    if (this.timer !== null) return;
    // The supervisor restarted a crashed core by itself: its hosts process starts as it speaks.
    if (this.run === null) this.spawn(false);
    this.run?.proc.toCore(lines);
  }

  /** The supervisor's onCrash: the core is gone, and with it its hosts process. */
  coreCrashed(reason: string): void {
    if (!this.direct) this.endCoreSession();
    this.deps.page()?.helperCrashed(reason);
  }

  /** The supervisor's onSwitch: another core took over; a hosts process is ready for its init. */
  coreSwitched(reason: string): void {
    if (!this.direct) {
      this.endCoreSession();
      if (!this.stopped) this.spawn(false);
    }
    this.deps.page()?.helperCrashed(reason);
  }

  private endCoreSession(): void {
    void this.detach()?.proc.close();
    this.cancelTimer();
    this.core = new CoreSession(this.deps.log);
  }

  private spawn(replayInit: boolean): void {
    const gen = ++this.gen;
    const proc = this.deps.spawnHosts();
    const run: Run = { proc, gen, startedAt: this.now() };
    this.run = run;
    // Whatever an earlier hosts process had open at this core has ended (respawn checks).
    this.core.opened.nextPage();
    const toCore = new LineDecoder(
      (line) => this.forwardToCore(line),
      () => this.deps.log('hosts: dropped an over-long line from the hosts process'),
    );
    proc.onStdout((text) => {
      if (gen !== this.gen) return;
      this.silentDeaths = 0;
      this.deps.page()?.fromHelper(text);
    });
    proc.onCoreText((text) => {
      if (gen === this.gen) toCore.push(text);
    });
    proc.onClose((reason, info) => this.hostsClosed(run, reason, info));
    const init = this.core.initLine;
    if (replayInit && init !== null) proc.toCore(`${init}\n`);
  }

  private forwardToCore(line: string): void {
    const req = this.core.fromHostsProcess(line);
    if ('drop' in req) return this.deps.log(`hosts: dropped ${req.drop}`);
    if (!this.deps.core.send(req.line)) this.deps.log('hosts: dropped a request of the hosts process: the helper is not running');
  }

  private hostsClosed(run: Run, reason: string, info: { spoke: boolean; stderrHead: string }): void {
    if (run.gen !== this.gen || this.stopped) return;
    this.detach();
    if (!info.spoke) this.silentDeaths++;
    if (!info.spoke && UNKNOWN_COMMAND.test(info.stderrHead)) return this.fallBack(info.stderrHead.split('\n')[0] ?? reason);
    if (!info.spoke && this.silentDeaths >= MAX_SILENT_DEATHS) return this.fallBack(`${reason} (${MAX_SILENT_DEATHS} times without a word)`);
    // The core would otherwise run the dead process's streams for nobody.
    for (const id of this.core.opened.openIds) this.deps.core.send(encodeLine({ cancel: { id } }));
    if (this.now() - run.startedAt >= STABLE_MS) this.attempt = 0;
    const delay = backoffMs(this.attempt++);
    const why = `${reason}; restarting it in ${Math.round(delay / 1000)} s`;
    this.deps.log(why);
    this.deps.page()?.helperCrashed(why);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.respawn();
    }, delay);
  }

  /** After a backoff: a new hosts process on the same core, once the old one's requests ended. */
  private respawn(): void {
    if (this.stopped) return;
    const open = this.core.opened.openIds.length;
    if (open === 0 && !this.core.midLine) return this.spawn(true);
    this.deps.log(`hosts: ${open} request(s) of the hosts process that stopped did not end; starting a fresh helper too`);
    void this.restart();
  }

  /** No hosts command in this bundle: the relay talks to the supervisor as before this layer. */
  private fallBack(reason: string): void {
    this.direct = true;
    this.cancelTimer();
    this.deps.log(`hosts: ${reason}; running without the host layer (no Add host… in this window)`);
    const init = this.core.initLine;
    // The page has seen nothing yet; it gets the core's own init, or a fresh core's.
    if (this.core.opened.openIds.length > 0 || this.core.midLine) void this.deps.core.restart();
    else if (init !== null) this.deps.page()?.fromHelper(`${init}\n`);
  }

  private detach(): Run | null {
    const old = this.run;
    this.run = null;
    this.gen++;
    return old;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
