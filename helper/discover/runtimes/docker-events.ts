import { DockerEvent } from './docker-schemas.js';
import { dockerSocketPath } from './docker-socket.js';
import { streamJsonLines } from './unix-http.js';

const FILTERS = encodeURIComponent(JSON.stringify({ type: ['container', 'network'] }));
export const DOCKER_EVENTS_PATH = `/events?filters=${FILTERS}`;

/**
 * Follows Docker's event stream (containers and networks: start, die, connect, disconnect,
 * create, destroy…) until `signal` aborts or dockerd goes away. Resolves then; rejects only when
 * the stream cannot be opened (no socket, no permission). For the live watcher: an event means
 * "ask Docker again", not "re-read the world".
 */
export async function watchDockerEvents(
  onEvent: (e: DockerEvent) => void,
  signal: AbortSignal,
  opts: { socketPath?: string; onOpen?: () => void } = {},
): Promise<void> {
  const socket = opts.socketPath ?? (await dockerSocketPath());
  if (socket === null) return;
  await streamJsonLines(
    socket,
    DOCKER_EVENTS_PATH,
    (doc) => {
      const e = DockerEvent.safeParse(doc);
      if (e.success) onEvent(e.data);
    },
    signal,
    opts.onOpen,
  );
}
