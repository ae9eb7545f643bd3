import { CONTAINERD_TASK_TOPICS } from '../discover/runtimes/containerd-events.js';
import type { DockerEvent } from '../discover/runtimes/docker-schemas.js';

/** A runtime's event stream, as DockerSource.follow and PodmanSource.follow offer it: resolves when the stream ends. */
export interface RuntimeEventStream {
  follow(signal: AbortSignal, hooks: { onEvent?: (e: DockerEvent) => void; onOpen?: () => void }): Promise<void>;
}

/** One runtime to follow: its stream, how to read its events, and its name for the log. */
export interface RuntimeEventSource {
  name: string;
  stream: RuntimeEventStream;
  classify: (e: DockerEvent) => RuntimeChange | null;
}

/** What one event asks of the live watcher. */
export interface RuntimeChange {
  /** Namespaces may have come or gone (a container started or ended). */
  rescan: boolean;
  /** The container whose namespace gained or lost an interface (network connect/disconnect). */
  containerId: string | null;
}

// Docker also reports exec_*, attach, resize, health_status, pull, tag… none of them touch networking.
// Podman speaks Docker's event format with its own words: died, remove, cleanup, init.
const CONTAINER_COMES_OR_GOES = new Set(['start', 'die', 'died', 'destroy', 'remove', 'restart']);
const CONTAINER_RENAMED = new Set(['rename', 'update']);
const NETWORK_ACTIONS = new Set(['connect', 'disconnect', 'create', 'destroy', 'remove']);

/** Sorts one Docker event: null when it changes nothing netloom draws. */
export function dockerChange(e: DockerEvent): RuntimeChange | null {
  if (e.Type === 'container') {
    if (CONTAINER_COMES_OR_GOES.has(e.Action)) return { rescan: true, containerId: e.Actor?.ID ?? null };
    if (CONTAINER_RENAMED.has(e.Action)) return { rescan: false, containerId: null };
    return null;
  }
  if (e.Type === 'network' && NETWORK_ACTIONS.has(e.Action)) {
    return { rescan: false, containerId: e.Actor?.Attributes?.container ?? null };
  }
  return null;
}

/**
 * Sorts one Podman event (libpod's /events, recorded in test/fixtures/podman/events.jsonl). Unlike
 * Docker, a network connect/disconnect names the container as the actor itself.
 */
export function podmanChange(e: DockerEvent): RuntimeChange | null {
  if (e.Type === 'network' && (e.Action === 'connect' || e.Action === 'disconnect')) return { rescan: false, containerId: e.Actor?.ID ?? null };
  return dockerChange(e);
}

/**
 * Sorts one containerd event (containerd-events.ts): a task of the kubelet's namespace started,
 * exited or was deleted — a pod or one of its containers came or went. Pods are named from the CRI,
 * so the namespace list and the runtimes are read again; no container id is tracked.
 */
export function containerdChange(e: DockerEvent): RuntimeChange | null {
  return e.Type === 'containerd' && CONTAINERD_TASK_TOPICS.has(e.Action) ? { rescan: true, containerId: null } : null;
}

export interface RuntimeFollowerHooks {
  /** A relevant event: ask the runtime again and re-read what it touched. */
  onChange(change: RuntimeChange): void;
  /** The stream (re)opened or ended: anything may have happened meanwhile, so ask again. */
  onResync(): void;
  log?: (message: string) => void;
}

export const BACKOFF_FIRST_MS = 500;
export const BACKOFF_MAX_MS = 30_000;

/**
 * Keeps following a runtime's event stream: when dockerd restarts (or is not there yet) the
 * stream is opened again after a backoff that doubles up to 30 s and starts over once a stream
 * was open. No socket means a quiet retry now and then, never an error.
 */
export function followRuntimeEvents(
  source: RuntimeEventSource,
  hooks: RuntimeFollowerHooks,
  timing: { firstMs?: number; maxMs?: number } = {},
): { stop(): void } {
  const { stream, classify } = source;
  const ac = new AbortController();
  const first = timing.firstMs ?? BACKOFF_FIRST_MS;
  const max = timing.maxMs ?? BACKOFF_MAX_MS;
  let wake: (() => void) | null = null;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const loop = async (): Promise<void> => {
    let backoff = first;
    while (!ac.signal.aborted) {
      let opened = false;
      try {
        await stream.follow(ac.signal, {
          onOpen: () => {
            opened = true;
            hooks.onResync();
          },
          onEvent: (e) => {
            const c = classify(e);
            if (c !== null) hooks.onChange(c);
          },
        });
      } catch {
        // Cannot open (no socket, no permission): the snapshot's notice already says so.
      }
      if (ac.signal.aborted) return;
      if (opened) {
        backoff = first;
        hooks.log?.(`netloom helper: ${source.name}'s event stream ended; following it again when it is back`);
        hooks.onResync();
      }
      await pause(backoff);
      backoff = Math.min(backoff * 2, max);
    }
  };
  void loop();
  return {
    stop: () => {
      ac.abort();
      wake?.();
    },
  };
}
