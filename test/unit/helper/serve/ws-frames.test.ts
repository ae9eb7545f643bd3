import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer } from '../../../../helper/serve/browser-server.js';
import type { BrowserServer } from '../../../../helper/serve/browser-server.js';
import { LiveTopology } from '../../../../helper/watch/live-topology.js';
import { exchangeToken } from '../../../serve-exchange.js';
import { hostileFrames, rawWebSocket } from '../../../ws-raw.js';
import { fakeContext, FakeSource, snapshotWith } from '../server/fakes.js';

let srv: BrowserServer;
let cookie = '';

beforeAll(async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'netloom-frames-')), 'renderer');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  const live = new LiveTopology(new FakeSource(snapshotWith(['host'])), () => ({ stop: () => {}, monitorCount: () => 0 }));
  srv = await startBrowserServer({ port: 0, rendererDir: root, ctx: fakeContext(live) });
  cookie = await exchangeToken(srv.port, srv.token);
});
afterAll(async () => srv.close());

async function open() {
  const ws = await rawWebSocket(srv.port, '/ws', { Origin: `http://127.0.0.1:${srv.port}`, Cookie: cookie });
  // The helper speaks first: wait for init before sending anything.
  for (let i = 0; i < 100 && !ws.received().includes('"init"'); i++) await new Promise((r) => setTimeout(r, 10));
  return ws;
}

/** A message and its answer over a fresh, well-behaved connection: the server is still up. */
async function stillAnswers(): Promise<boolean> {
  const ws = await open();
  const line = JSON.stringify({ id: 1, method: 'topology.get', params: {} }) + '\n';
  ws.send({ opcode: 0x1, payload: Buffer.from(line) });
  for (let i = 0; i < 200 && !ws.received().includes('"id":1'); i++) await new Promise((r) => setTimeout(r, 10));
  const ok = ws.received().includes('"id":1');
  ws.socket.destroy();
  return ok;
}

describe('one malformed WebSocket frame closes that connection only (issue 13 item 1)', () => {
  for (const { name, frames, code } of hostileFrames()) {
    it(`${name}: close code ${code}, the server still answers`, async () => {
      const ws = await open();
      for (const f of frames) ws.send(f);
      expect(await ws.closed).toBe(code);
      expect(await stillAnswers()).toBe(true);
    });
  }
});

describe('a request target the URL parser refuses', () => {
  for (const target of ['//[', 'http://[::', '//a:b@[']) {
    it(`GET ${target} (HTTP and upgrade) is a 4xx, not the end of the server`, async () => {
      for (const upgrade of [false, true]) {
        const status = await new Promise<string>((resolve) => {
          const s = connect({ host: '127.0.0.1', port: srv.port });
          let out = '';
          s.on('data', (d) => (out += d.toString('latin1')));
          s.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
          s.on('error', () => {});
          const extra = upgrade ? 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' : '';
          s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n${extra}Connection: close\r\n\r\n`);
        });
        expect(status).toMatch(/^HTTP\/1\.1 4\d\d/);
      }
      expect(await stillAnswers()).toBe(true);
    });
  }
});
