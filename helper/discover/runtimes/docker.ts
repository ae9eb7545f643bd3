import { stat } from 'node:fs/promises';
import type { ZodType } from 'zod';
import { gatewaysByNetwork, toRuntimeContainer } from './docker-containers.js';
import { watchDockerEvents } from './docker-events.js';
import { toRuntimeNetwork } from './docker-networks.js';
import { DockerContainerInspect, DockerContainerList, DockerNetworkList, type DockerEvent } from './docker-schemas.js';
import { dockerSocketPath } from './docker-socket.js';
import type { RuntimeContainer, RuntimeRead } from './types.js';
import { getJson, RuntimeUnreachable } from './unix-http.js';

export interface DockerSourceOptions {
  /** The Engine API socket; default: DOCKER_HOST's unix path, else /run/docker.sock. */
  socketPath?: string;
  /** Per request. A hung dockerd must not hold up a snapshot. */
  timeoutMs?: number;
  /** Replaces the HTTP GET (tests with recorded Engine API JSON). */
  get?: (path: string, signal?: AbortSignal) => Promise<unknown>;
  /** Whether a pid still runs (tests); default: /proc/PID exists. */
  pidAlive?: (pid: number) => Promise<boolean>;
}

const SENTENCE: Record<RuntimeUnreachable['reason'], string> = {
  'no-socket': 'Docker is not running or its socket cannot be read',
  permission: 'Docker\'s socket cannot be read (permission denied)',
  timeout: 'Docker did not answer in time',
  http: 'Docker refused the question',
  'bad-answer': 'Docker answered something netloom does not understand',
  error: 'Docker could not be asked',
};

/**
 * Docker's names for what the kernel shows: running containers (name, image, networks, pid)
 * and networks (bridge, subnet, options). Asked in parallel, once per snapshot: two lists,
 * then one inspect per container not seen before (a running container's pid never changes).
 * While `follow()` runs, an unchanged Docker is not asked at all.
 */
export class DockerSource {
  private readonly opts: DockerSourceOptions;
  private readonly inspected = new Map<string, DockerContainerInspect>();
  private last: RuntimeRead | null = null;
  private following = false;
  private stale = true;

  constructor(opts: DockerSourceOptions = {}) {
    this.opts = opts;
  }

  async read(signal?: AbortSignal): Promise<RuntimeRead> {
    if (this.following && !this.stale && this.last !== null) return this.last;
    const socket = this.opts.socketPath ?? (this.opts.get !== undefined ? '(recorded)' : await dockerSocketPath());
    if (socket === null) return { runtime: 'docker', containers: [], networks: [], unreachable: 'DOCKER_HOST is not a unix:// socket' };
    this.stale = false;
    try {
      this.last = await this.ask(socket, signal);
    } catch (e) {
      this.stale = true;
      this.inspected.clear();
      const why = e instanceof RuntimeUnreachable ? SENTENCE[e.reason] : SENTENCE.error;
      this.last = { runtime: 'docker', containers: [], networks: [], unreachable: `${why} (${socket})` };
    }
    return this.last;
  }

  /** An event from Docker's stream: the next read asks again; a changed container is inspected again. */
  onEvent(e: DockerEvent): void {
    this.stale = true;
    if (e.Type === 'container' && e.Actor !== undefined) this.inspected.delete(e.Actor.ID);
    const c = e.Actor?.Attributes?.container; // network connect/disconnect name the container
    if (c !== undefined) this.inspected.delete(c);
  }

  /**
   * Follows Docker's events until `signal` aborts or dockerd goes away (see watchDockerEvents);
   * reads are cached meanwhile. `hooks` hear each event after the cache learnt of it, and the opening.
   */
  async follow(signal: AbortSignal, hooks: { onEvent?: (e: DockerEvent) => void; onOpen?: () => void } = {}): Promise<void> {
    const socketPath = this.opts.socketPath ?? (await dockerSocketPath()) ?? undefined;
    this.following = true;
    this.stale = true;
    const onEvent = (e: DockerEvent): void => {
      this.onEvent(e);
      hooks.onEvent?.(e);
    };
    try {
      await watchDockerEvents(onEvent, signal, { ...(socketPath !== undefined ? { socketPath } : {}), ...(hooks.onOpen ? { onOpen: hooks.onOpen } : {}) });
    } finally {
      this.following = false;
      this.stale = true;
    }
  }

  private async ask(socket: string, signal?: AbortSignal): Promise<RuntimeRead> {
    const get = async <T>(path: string, schema: ZodType<T>): Promise<T> => {
      const raw = this.opts.get !== undefined ? await this.opts.get(path, signal) : await getJson(socket, path, this.opts.timeoutMs ?? 2000, signal);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new RuntimeUnreachable('bad-answer', `${path}: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
      return parsed.data;
    };
    const [list, networks] = await Promise.all([get('/containers/json', DockerContainerList), get('/networks', DockerNetworkList)]);
    const running = new Set(list.map((c) => c.Id));
    for (const id of [...this.inspected.keys()]) if (!running.has(id)) this.inspected.delete(id);
    await Promise.all(
      list.map(async (summary) => {
        const known = this.inspected.get(summary.Id);
        const sameNets = known !== undefined && sameKeys(known.NetworkSettings?.Networks, summary.NetworkSettings?.Networks);
        if (known !== undefined && sameNets && (await this.alive(known.State.Pid))) return;
        // A container that stops between the list and its inspect is simply left out.
        const c = await get(`/containers/${summary.Id}/json`, DockerContainerInspect).catch(() => null);
        if (c === null) this.inspected.delete(summary.Id);
        else this.inspected.set(summary.Id, c);
      }),
    );
    const inspected = list.flatMap((s) => {
      const c = this.inspected.get(s.Id);
      return c === undefined ? [] : [c];
    });
    const containers = inspected.map(toRuntimeContainer).filter((c): c is RuntimeContainer => c !== null);
    containers.sort((a, b) => a.info.name.localeCompare(b.info.name));
    const gateways = gatewaysByNetwork(inspected);
    return {
      runtime: 'docker',
      containers,
      networks: networks.map((n) => toRuntimeNetwork(n, gateways.get(n.Id) ?? null)).sort((a, b) => a.name.localeCompare(b.name)),
      unreachable: null,
    };
  }

  private alive(pid: number): Promise<boolean> {
    if (this.opts.pidAlive !== undefined) return this.opts.pidAlive(pid);
    return stat(`/proc/${pid}`).then(
      () => true,
      () => false,
    );
  }
}

function sameKeys(a: Record<string, unknown> | null | undefined, b: Record<string, unknown> | null | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}
