import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Engine API answers recorded from a real dockerd (test/fixtures/docker/README.md). */
export const DOCKER_FIXTURES = join(__dirname, '../../../../fixtures/docker');

export function fixtureText(name: string): string {
  return readFileSync(join(DOCKER_FIXTURES, name), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name)) as unknown;
}

/** A recorded Engine API: answers GETs from the fixtures and counts them. */
export function recordedEngine(): { get: (path: string) => Promise<unknown>; calls: string[] } {
  const calls: string[] = [];
  const byId = new Map<string, string>();
  for (const n of ['web', 'app', 'lonely']) {
    const doc = fixtureJson(`container-${n}.json`) as { Id: string };
    byId.set(doc.Id, n);
  }
  const get = (path: string): Promise<unknown> => {
    calls.push(path);
    if (path === '/containers/json') return Promise.resolve(fixtureJson('containers.json'));
    if (path === '/networks') return Promise.resolve(fixtureJson('networks.json'));
    const m = /^\/containers\/([0-9a-f]{64})\/json$/.exec(path);
    const name = m?.[1] !== undefined ? byId.get(m[1]) : undefined;
    if (name !== undefined) return Promise.resolve(fixtureJson(`container-${name}.json`));
    return Promise.reject(new Error(`unrecorded ${path}`));
  };
  return { get, calls };
}
