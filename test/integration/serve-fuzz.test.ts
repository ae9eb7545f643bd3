import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertInSandbox } from '../sandbox.js';
import { encodeFrame, rawWebSocket } from '../ws-raw.js';
import type { RawFrame } from '../ws-raw.js';
import { openServeSession, serveClient } from './serve-session.js';
import type { ServeSession } from './serve-session.js';

// Issue 13: the WebSocket layer of the real `netloom serve` (the built bundle, as root in the
// sandbox) under 10 000 random frames over many connections. It must stay up, and a real client
// must still get its init and an answer afterwards. Seeded, so a failure can be replayed.

const root = join(__dirname, '..', '..');
const FRAMES = 10_000;
// One at a time: a second connection would take the session over (4001) before the noise lands.
const PARALLEL = 1;
let serve: ChildProcessWithoutNullStreams;
let session: ServeSession;
let stderr = '';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One random frame: mostly plausible, often broken in one way (bits, opcode, mask, length, UTF-8), sometimes raw noise. */
function randomFrame(rand: () => number): RawFrame | Buffer {
  const r = rand();
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
  if (r < 0.08) return bytes(1 + Math.floor(rand() * 40));
  const sizes = [0, 1, 5, 125, 126, 127, 200, 4000, 65535, 65536, 70_000];
  const size = sizes[Math.floor(rand() * sizes.length)] ?? 0;
  const payload = rand() < 0.5 ? Buffer.from(JSON.stringify({ id: Math.floor(rand() * 5), method: rand() < 0.5 ? 'nope' : 'topology.get', params: 'x'.repeat(Math.min(size, 300)) }) + '\n') : bytes(size);
  const frame: RawFrame = {
    opcode: rand() < 0.7 ? [0x0, 0x1, 0x2, 0x8, 0x9, 0xa][Math.floor(rand() * 6)]! : Math.floor(rand() * 16),
    payload,
    fin: rand() < 0.85,
    rsv: rand() < 0.15 ? Math.floor(rand() * 8) : 0,
    masked: rand() < 0.9,
  };
  if (rand() < 0.05) frame.length = [2_000_000, 1 << 30, payload.length + 10][Math.floor(rand() * 3)]!;
  return frame;
}

beforeAll(async () => {
  assertInSandbox();
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--helper-only'], { stdio: 'ignore' });
  serve = spawn(process.execPath, [join(root, 'out/helper/netloom.cjs'), 'serve', '--port', '0', '--no-open'], { stdio: ['pipe', 'pipe', 'pipe'] });
  serve.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  session = await openServeSession(serve);
});

afterAll(() => {
  if (serve.exitCode === null) serve.kill('SIGKILL');
});

const rssKiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

describe('netloom serve under 10 000 random WebSocket frames', () => {
  it('stays up, closes only the offending connections, and still answers a real client', async () => {
    const rand = prng(13);
    const rssBefore = rssKiB(serve.pid!);
    const codes = new Map<string, number>();
    let sent = 0;
    let connections = 0;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (sent < FRAMES) {
        const ws = await rawWebSocket(session.port, session.wsPath, session.wsHeaders());
        connections++;
        const burst: Buffer[] = [];
        for (let k = 1 + Math.floor(rand() * 20); k > 0 && sent < FRAMES; k--, sent++) {
          const f = randomFrame(rand);
          burst.push(Buffer.isBuffer(f) ? f : encodeFrame(f));
        }
        // A well-formed close at the end: a connection the noise left open must answer it.
        burst.push(encodeFrame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe8]) }));
        ws.send(Buffer.concat(burst));
        const code = await Promise.race([ws.closed, new Promise<string>((r) => setTimeout(() => r('open'), 300))]);
        ws.socket.destroy();
        codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const ms = Date.now() - started;
    expect(serve.exitCode).toBeNull();
    expect(stderr).not.toMatch(/Unhandled|uncaught/i);
    const client = await serveClient(session);
    const init = await client.ready;
    expect(init.capabilities).toContain('topology.get');
    const snap = await client.call('topology.get', {});
    expect(snap.version).toBe(1);
    client.close();
    const rssAfter = rssKiB(serve.pid!);
    console.log(`ws fuzz: ${FRAMES} frames over ${connections} connections in ${ms} ms; close codes ${JSON.stringify(Object.fromEntries(codes))}; RSS ${rssBefore} → ${rssAfter} KiB`);
    // Protocol errors close with 1002 and friends: the noise must have hit the error paths.
    expect((codes.get('1002') ?? 0) + (codes.get('1007') ?? 0) + (codes.get('1009') ?? 0)).toBeGreaterThan(connections / 4);
  }, 180_000);
});
