import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { spawnStdioHelper } from '../../../electron/helper-stdio.js';

/** Tiny real programs standing in for the helper (run by this Node, like Electron in Node mode). */
const ECHO_UNTIL_EOF = `
process.stdout.write('{"init":{"version":"1","capabilities":[]}}\\n');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => process.stdout.write('echo ' + d));
process.stdin.on('end', () => process.exit(0));`;
const IGNORES_EOF = `process.stdin.resume(); process.stdin.on('end', () => {}); setInterval(() => {}, 1000);`;
const CRASHES = `process.stderr.write('cannot read /proc/net/dev\\n'); process.exit(3);`;

function start(script: string, graceMs = 200) {
  const lines: string[] = [];
  const conn = spawnStdioHelper({ spawn, command: process.execPath, args: ['-e', script], env: { ...process.env }, log: (l) => lines.push(l), graceMs });
  let text = '';
  conn.onText((t) => (text += t));
  const closed = new Promise<string>((resolve) => conn.onClose(resolve));
  return { conn, closed, text: () => text, logs: lines };
}

describe('spawnStdioHelper', () => {
  it('carries text both ways and ends the helper by closing its input', async () => {
    const h = start(ECHO_UNTIL_EOF);
    h.conn.send('{"id":1,"method":"topology.get"}\n');
    await expect.poll(h.text).toContain('echo {"id":1');
    expect(h.text().startsWith('{"init"')).toBe(true);
    await h.conn.close();
    await expect(h.closed).resolves.toBe('the helper exited with code 0');
  });

  it('sends SIGTERM to a helper that ignores the end of its input', async () => {
    const h = start(IGNORES_EOF);
    const t0 = Date.now();
    await h.conn.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await expect(h.closed).resolves.toBe('the helper was killed by SIGTERM');
  });

  it("reports a crash with the exit code and the tail of the helper's stderr", async () => {
    const h = start(CRASHES);
    await expect(h.closed).resolves.toBe('the helper exited with code 3: cannot read /proc/net/dev');
    expect(h.logs).toEqual(['helper: cannot read /proc/net/dev']);
    h.conn.send('ignored after close\n');
    await h.conn.close();
  });

  it('reports a helper that cannot be started', async () => {
    const conn = spawnStdioHelper({ spawn, command: '/nonexistent/netloom', args: [], env: {} });
    const reason = await new Promise<string>((resolve) => conn.onClose(resolve));
    expect(reason).toMatch(/^the helper could not be started: .*ENOENT/);
  });
});
