import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectWithToken, readTokenFile } from '../../../../helper/server/socket-client.js';

let dir: string;
const TOKEN = 'a1'.repeat(32);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netloom-token-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string, mode: number) => {
  const p = join(dir, name);
  writeFileSync(p, text, { mode });
  chmodSync(p, mode);
  return p;
};

describe('readTokenFile (the helper side of DESIGN §8)', () => {
  it('reads a 0600 token', () => {
    expect(readTokenFile(file('t', TOKEN + '\n', 0o600), undefined)).toBe(TOKEN);
  });

  it.each([0o640, 0o604, 0o620, 0o666])('refuses mode %o', (mode) => {
    expect(() => readTokenFile(file('t', TOKEN, mode), undefined)).toThrow(/readable or writable by others/);
  });

  it('refuses a symlink, a directory, and a file without a token', () => {
    const real = file('real', TOKEN, 0o600);
    symlinkSync(real, join(dir, 'link'));
    expect(() => readTokenFile(join(dir, 'link'), undefined)).toThrow(/ELOOP/);
    expect(() => readTokenFile(dir, undefined)).toThrow(/not a regular file/);
    expect(() => readTokenFile(file('junk', 'hello world', 0o600), undefined)).toThrow(/does not hold a token/);
  });

  it("under pkexec, refuses a token that belongs to someone else than the asker", () => {
    const p = file('t', TOKEN, 0o600);
    const owner = process.getuid!();
    expect(readTokenFile(p, owner)).toBe(TOKEN);
    if (owner !== 0) expect(readTokenFile(p, 0)).toBe(TOKEN);
    else expect(() => readTokenFile(p, 4242)).not.toThrow(); // root-owned files are trusted
    if (owner !== 0) expect(() => readTokenFile(p, owner + 1)).toThrow(/not to uid/);
  });
});

describe('connectWithToken', () => {
  it('sends the auth line first', async () => {
    const sock = join(dir, 's.sock');
    const first = new Promise<string>((resolve) => {
      const server = createServer((c) => {
        c.setEncoding('utf8');
        c.once('data', (t: string) => {
          resolve(t);
          c.destroy();
          server.close();
        });
      }).listen(sock);
    });
    const s = await connectWithToken(sock, TOKEN);
    expect(await first).toBe(`{"auth":{"token":"${TOKEN}"}}\n`);
    s.destroy();
  });

  it('fails when nothing listens', async () => {
    await expect(connectWithToken(join(dir, 'none.sock'), TOKEN)).rejects.toThrow(/ENOENT/);
  });
});
