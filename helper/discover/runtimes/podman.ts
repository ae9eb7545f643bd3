import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { ContainerInfo } from '../../../protocol/src/snapshot.js';
import type { FoundNamespace } from '../namespaces.js';
import type { RuntimeNetworkSeed, RuntimeRead } from './types.js';
import { DockerEvent } from './docker-schemas.js';
import { getJson, RuntimeUnreachable, streamJsonLines } from './unix-http.js';

export const PODMAN_SOCKET = '/run/podman/podman.sock';
export const PODMAN_STORAGE = '/var/lib/containers/storage/overlay-containers/containers.json';
const EVENT_FILTERS = encodeURIComponent(JSON.stringify({ type: ['container', 'network'] }));
/** libpod's event stream: Docker's event format (test/fixtures/podman/events.jsonl). */
export const PODMAN_EVENTS_PATH = `/v4.0.0/libpod/events?stream=true&filters=${EVENT_FILTERS}`;

/** libpod's /containers/json: unlike Docker's it carries the pid, so no inspect is needed. */
const LibpodContainer = z.object({
  Id: z.string(),
  Names: z.array(z.string()).nullable().optional(),
  Image: z.string().optional().default(''),
  Pid: z.number().int().optional().default(0),
  Networks: z.array(z.string()).nullable().optional(),
});
const LibpodNetwork = z.object({
  name: z.string(),
  id: z.string().optional().default(''),
  driver: z.string().optional().default(''),
  network_interface: z.string().optional(),
  internal: z.boolean().optional().default(false),
  subnets: z.array(z.object({ subnet: z.string(), gateway: z.string().optional() })).nullable().optional(),
  options: z.record(z.string(), z.string()).nullable().optional(),
});
/** containers/storage's own record of containers (readable by root when no API socket runs). */
const StorageContainer = z.object({ id: z.string(), names: z.array(z.string()).nullable().optional() });

export function parseLibpodContainers(doc: unknown): RuntimeRead['containers'] {
  return z
    .array(LibpodContainer)
    .parse(doc)
    .filter((c) => c.Pid > 0)
    .map((c) => {
      const info: ContainerInfo = { runtime: 'podman', id: c.Id, name: c.Names?.[0] ?? c.Id.slice(0, 12), image: c.Image, networks: c.Networks ?? [], pid: c.Pid };
      return { pid: c.Pid, info };
    });
}

export function parseLibpodNetworks(doc: unknown): RuntimeNetworkSeed[] {
  return z
    .array(LibpodNetwork)
    .parse(doc)
    .map((n) => {
      const s = n.subnets?.[0];
      const bridgeName = n.network_interface ?? null;
      const explanation = [`${n.driver} network '${n.name}'${bridgeName !== null ? ` on ${bridgeName}` : ''}${s !== undefined ? `, ${s.subnet}${s.gateway !== undefined ? ` via ${s.gateway}` : ''}` : ''}`];
      if (n.internal) explanation.push(`${n.name} is internal: containers on it cannot reach outside the host`);
      return { runtime: 'podman', name: n.name, id: n.id, driver: n.driver, bridgeName, subnet: s?.subnet ?? null, gateway: s?.gateway ?? null, options: { ...(n.options ?? {}) }, explanation };
    });
}

/** Container names by id from containers/storage's containers.json. */
export function parseStorageContainers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    for (const c of z.array(StorageContainer).parse(JSON.parse(text))) {
      const name = c.names?.[0];
      if (name !== undefined) out.set(c.id, name);
    }
  } catch {
    // unreadable or another version's shape: the cgroup's short id stays
  }
  return out;
}

/**
 * Podman: its API socket when one runs (`podman system service`); otherwise nothing to ask, and
 * containers found by cgroup (libpod-<id>.scope) get their names from containers/storage.
 */
export class PodmanSource {
  constructor(private readonly opts: { socketPath?: string; timeoutMs?: number; get?: (path: string) => Promise<unknown> } = {}) {}

  async read(signal?: AbortSignal): Promise<RuntimeRead> {
    const socket = this.opts.socketPath ?? PODMAN_SOCKET;
    const none: RuntimeRead = { runtime: 'podman', containers: [], networks: [], unreachable: null };
    if (this.opts.get === undefined && !existsSync(socket)) return none; // no service: the storage fallback speaks
    const get = (path: string): Promise<unknown> => this.opts.get?.(path) ?? getJson(socket, path, this.opts.timeoutMs ?? 2000, signal);
    try {
      const [containers, networks] = await Promise.all([get('/v4.0.0/libpod/containers/json'), get('/v4.0.0/libpod/networks/json')]);
      return { ...none, containers: parseLibpodContainers(containers), networks: parseLibpodNetworks(networks) };
    } catch (e) {
      const why = e instanceof RuntimeUnreachable && e.reason === 'permission' ? 'Podman\'s socket cannot be read (permission denied)' : 'Podman could not be asked';
      return { ...none, unreachable: `${why} (${socket})` };
    }
  }

  /** Names for containers found only by cgroup, when Podman's API gave none. */
  async namesFromStorage(found: FoundNamespace[], reads: RuntimeRead[], read: (path: string) => Promise<string | null>): Promise<Map<number, ContainerInfo>> {
    const out = new Map<number, ContainerInfo>();
    const asked = reads.some((r) => r.runtime === 'podman' && r.containers.length > 0);
    const byCgroup = found.filter((f) => f.container?.runtime === 'podman');
    if (asked || byCgroup.length === 0) return out;
    const text = await read(PODMAN_STORAGE);
    if (text === null) return out;
    const names = parseStorageContainers(text);
    for (const f of byCgroup) {
      const c = f.container;
      const name = c === null ? undefined : names.get(c.id);
      if (c !== null && name !== undefined) out.set(f.inode, { ...c, name });
    }
    return out;
  }

  /**
   * Follows libpod's event stream until `signal` aborts or the service goes away; rejects when it
   * cannot be opened (no `podman system service` running). Nothing is cached, so every read asks.
   */
  async follow(signal: AbortSignal, hooks: { onEvent?: (e: DockerEvent) => void; onOpen?: () => void } = {}): Promise<void> {
    await streamJsonLines(
      this.opts.socketPath ?? PODMAN_SOCKET,
      PODMAN_EVENTS_PATH,
      (doc) => {
        const e = DockerEvent.safeParse(doc);
        if (e.success) hooks.onEvent?.(e.data);
      },
      signal,
      hooks.onOpen,
    );
  }

  hasSigns(exists: (path: string) => boolean): boolean {
    return ['/sys/class/net/podman0', '/sys/class/net/cni-podman0', this.opts.socketPath ?? PODMAN_SOCKET].some((p) => exists(p));
  }
}
