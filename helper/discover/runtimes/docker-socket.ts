import { stat } from 'node:fs/promises';

export const DEFAULT_DOCKER_SOCKETS = ['/run/docker.sock', '/var/run/docker.sock'];

/**
 * The Unix socket Docker's Engine API listens on: DOCKER_HOST's `unix://PATH` when set (a tcp://
 * DOCKER_HOST is not asked: netloom speaks only to local sockets), else the first default that exists.
 * Returns the path to ask (which may not exist: then the answer is "no socket") or null.
 */
export async function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '') return host.startsWith('unix://') ? host.slice('unix://'.length) : null;
  for (const p of DEFAULT_DOCKER_SOCKETS) {
    if (await stat(p).then(() => true, () => false)) return p;
  }
  return DEFAULT_DOCKER_SOCKETS[0] ?? null;
}
