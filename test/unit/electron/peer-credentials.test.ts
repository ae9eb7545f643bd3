import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHelperSocketServer } from '../../../electron/helper-socket.js';
import type { HelperSocketServer } from '../../../electron/helper-socket.js';
import { requirePeerUid } from '../../../electron/peer-credentials.js';

// Issue 13 item 9: main checks the helper socket's peer by SO_PEERCRED (netloom-nsread --peercred
// on the accepted socket), after the token: the right token from the wrong uid is refused.

const reader = join(__dirname, '..', '..', '..', 'out', 'helper', 'netloom-nsread');
const me = process.getuid?.() ?? 0;
let server: HelperSocketServer | null = null;
let base = '';
afterEach(async () => {
  await server?.close();
  server = null;
  if (base) rmSync(base, { recursive: true, force: true });
});

async function attempt(expectedUid: number, required = true, path: string | null = reader) {
  base = mkdtempSync(join(tmpdir(), 'netloom-peer-'));
  const logs: string[] = [];
  const log = (l: string): void => void logs.push(l);
  server = await createHelperSocketServer({ runtimeDir: base, log, checkPeer: requirePeerUid(expectedUid, path, { required, log }) });
  const token = readFileSync(server.tokenFile, 'utf8').trim();
  const sock = connect(server.socketPath);
  sock.on('error', () => {});
  let got = '';
  sock.on('data', (d) => (got += d.toString()));
  sock.write(JSON.stringify({ auth: { token } }) + '\n{"init":{"version":"1","capabilities":[]}}\n');
  const accepted = await Promise.race([server.connection.then(() => true), new Promise<boolean>((r) => sock.once('close', () => r(false)))]);
  let first = '';
  if (accepted) {
    const conn = await server.connection;
    first = await new Promise<string>((r) => conn.onText(r));
    conn.send('hello\n');
    await new Promise((r) => setTimeout(r, 20));
  }
  sock.destroy();
  return { accepted, logs, first, got };
}

describe.skipIf(!existsSync(reader))('the helper socket checks its peer\'s uid (SO_PEERCRED)', () => {
  it('the expected uid with the token: accepted, and the text that came with the auth line still arrives', async () => {
    const r = await attempt(me);
    expect(r.accepted).toBe(true);
    expect(r.first).toBe('{"init":{"version":"1","capabilities":[]}}\n');
    expect(r.got).toBe('hello\n');
  });

  it('the right token from another uid: refused and logged', async () => {
    const r = await attempt(me + 4242);
    expect(r.accepted).toBe(false);
    expect(r.logs.join('\n')).toMatch(new RegExp(`refused a helper connection: the peer runs as uid ${me} \\(pid ${process.pid}\\), not as uid ${me + 4242}`));
  });

  it('no reader: a packaged app refuses, a source checkout says so and accepts on the token', async () => {
    expect((await attempt(me, true, null)).accepted).toBe(false);
    const dev = await attempt(me, false, null);
    expect(dev.accepted).toBe(true);
    expect(dev.logs.join('\n')).toMatch(/accepting on the token alone/);
  });
});
