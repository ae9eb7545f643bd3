import type { DockerEvent } from '../discover/runtimes/docker-schemas.js';

/** A runtime's event stream, as DockerSource.follow offers it: resolves when the stream ends. */
export interface RuntimeEventStream {
  follow(signal: AbortSignal, hooks: { onEvent?: (e: DockerEvent) => void; onOpen?: () => void }): Promise<void>;
}

/** What one event asks of the live watcher. */
export interface RuntimeChange {
  /** Namespaces may have come or gone (a container started or ended). */
  rescan: boolean;
  /** The container whose namespace gained or lost an interface (network connect/disconnect). */
  containerId: string | null;
}

// Docker also reports exec_*, attach, resize, health_status, pull, tag… none of them touch networking.
const CONTAINER_COMES_OR_GOES = new Set(['start', 'die', 'destroy', 'restart']);
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
  stream: RuntimeEventStream,
  hooks: RuntimeFollowerHooks,
  timing: { firstMs?: number; maxMs?: number } = {},
): { stop(): void } {
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
            const c = dockerChange(e);
            if (c !== null) hooks.onChange(c);
          },
        });
      } catch {
        // Cannot open (no socket, no permission): the snapshot's notice already says so.
      }
      if (ac.signal.aborted) return;
      if (opened) {
        backoff = first;
        hooks.log?.("netloom helper: Docker's event stream ended; following it again when dockerd is back");
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
