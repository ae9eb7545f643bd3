import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_EVENTS_PATH, watchDockerEvents } from '../../../../../helper/discover/runtimes/docker-events.js';
import { DockerSource } from '../../../../../helper/discover/runtimes/docker.js';
import type { DockerEvent } from '../../../../../helper/discover/runtimes/docker-schemas.js';
import { getJson } from '../../../../../helper/discover/runtimes/unix-http.js';
import { fixtureText, recordedEngine } from './docker-fixtures.js';

// A fake Engine API on a real Unix socket: the recorded answers, a hang, and the recorded event stream.
describe('Engine API over a Unix socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netloom-unix-http-'));
  const socket = join(dir, 'docker.sock');
  const engine = recordedEngine();
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/hang') return; // never answers
      if (url === DOCKER_EVENTS_PATH) {
        res.writeHead(200, { 'content-type': 'application/json' });
        // Split mid-line on purpose: the stream arrives in arbitrary chunks.
        const text = fixtureText('events.jsonl');
        res.write(text.slice(0, 100));
        setTimeout(() => res.end(text.slice(100)), 20);
        return;
      }
      engine.get(url).then(
        (doc) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc)),
        () => res.writeHead(404).end('{"message":"page not found"}'),
      );
    });
    await new Promise<void>((r) => server.listen(socket, r));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets JSON, says HTTP errors, no socket and timeouts apart', async () => {
    expect(await getJson(socket, '/networks', 1000)).toHaveLength(5);
    await expect(getJson(socket, '/nope', 1000)).rejects.toMatchObject({ reason: 'http' });
    await expect(getJson(join(dir, 'absent.sock'), '/networks', 1000)).rejects.toMatchObject({ reason: 'no-socket' });
    const t0 = Date.now();
    await expect(getJson(socket, '/hang', 150)).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('reads Docker through the socket like dockerd itself', async () => {
    const r = await new DockerSource({ socketPath: socket, pidAlive: () => Promise.resolve(true) }).read();
    expect(r.unreachable).toBeNull();
    expect(r.containers.map((c) => c.info.name)).toEqual(['app', 'lonely', 'web']);
  });

  it('follows the event stream line by line until it ends', async () => {
    const events: DockerEvent[] = [];
    await watchDockerEvents((e) => events.push(e), new AbortController().signal, { socketPath: socket });
    expect(events).toHaveLength(fixtureText('events.jsonl').trim().split('\n').length);
    expect(events.filter((e) => e.Type === 'container' && e.Action === 'start').map((e) => e.Actor?.Attributes?.name)).toEqual(['web', 'app', 'lonely']);
    expect(events.filter((e) => e.Type === 'network' && e.Action === 'create').map((e) => e.Actor?.Attributes?.name)).toEqual(['my-bridge-network', 'no-icc-network']);
  });

  it('rejects when the stream cannot be opened', async () => {
    await expect(watchDockerEvents(() => undefined, new AbortController().signal, { socketPath: join(dir, 'absent.sock') })).rejects.toMatchObject({ reason: 'no-socket' });
  });
});
