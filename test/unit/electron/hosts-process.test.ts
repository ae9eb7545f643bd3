import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { spawnHostsProcess } from '../../../electron/hosts-process.js';

/**
 * Tiny real programs standing in for `netloom hosts --stdio` (run by this Node, like Electron's
 * binary in Node mode): the page on stdin/stdout, the core on fd 3.
 */
const RELAYS = `
const net = require('node:net');
const core = new net.Socket({ fd: 3, readable: true, writable: true });
core.setEncoding('utf8');
core.on('data', (d) => process.stdout.write('core said ' + d));
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => core.write('page said ' + d));
process.stdin.on('end', () => { process.stderr.write('closing ssh sessions\\n'); process.exit(0); });`;
const IGNORES_EOF = `process.stdin.resume(); process.stdin.on('end', () => {}); setInterval(() => {}, 1000);`;
const UNKNOWN = `process.stderr.write('netloom: unknown command "hosts"\\nusage:\\n  netloom snapshot   the picture\\n'); process.exit(2);`;
const READS_NOTHING = `setInterval(() => {}, 1000);`;

function start(script: string, opts: { graceMs?: number; maxBufferedBytes?: number } = {}) {
  const logs: string[] = [];
  const proc = spawnHostsProcess({ spawn, command: process.execPath, args: ['-e', script], env: { ...process.env }, log: (l) => logs.push(l), graceMs: 200, ...opts });
  let out = '';
  let toCore = '';
  proc.onStdout((t) => (out += t));
  proc.onCoreText((t) => (toCore += t));
  const closed = new Promise<[string, { spoke: boolean; stderrHead: string }]>((resolve) => proc.onClose((r, i) => resolve([r, i])));
  return { proc, closed, out: () => out, toCore: () => toCore, logs };
}

describe('spawnHostsProcess', () => {
  it('carries the page on stdin/stdout and the core on fd 3 both ways; closing its input ends it, stderr goes to the log', async () => {
    const h = start(RELAYS);
    expect(h.proc.toCore('{"init":{}}\n')).toBe(true);
    await expect.poll(h.out).toBe('core said {"init":{}}\n');
    expect(h.proc.toStdin('{"id":1}\n')).toBe(true);
    await expect.poll(h.toCore).toBe('page said {"id":1}\n');
    await h.proc.close();
    const [reason, info] = await h.closed;
    expect(reason).toBe('the hosts process exited with code 0: closing ssh sessions');
    expect(info.spoke).toBe(true);
    expect(h.logs).toEqual(['hosts: closing ssh sessions']);
    expect(h.proc.toStdin('late\n')).toBe(false);
  });

  it('sends SIGTERM to one that ignores the end of its input', async () => {
    const h = start(IGNORES_EOF);
    const t0 = Date.now();
    await h.proc.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect((await h.closed)[0]).toBe('the hosts process was killed by SIGTERM');
  });

  it("an old bundle's unknown command: not a word on stdout, and the first line of stderr kept", async () => {
    const [reason, info] = await start(UNKNOWN).closed;
    expect(reason).toMatch(/^the hosts process exited with code 2/);
    expect(info.spoke).toBe(false);
    expect(info.stderrHead.split('\n')[0]).toBe('netloom: unknown command "hosts"');
  });

  it('ends one that stops reading rather than hold its input without bound', async () => {
    const h = start(READS_NOTHING, { maxBufferedBytes: 1024 * 1024 });
    const chunk = `${'x'.repeat(64 * 1024)}\n`;
    let accepted = 0;
    while (accepted < 64 && h.proc.toCore(chunk)) accepted++;
    expect(accepted).toBeLessThan(64);
    expect(h.logs.at(-1)).toMatch(/stopped reading its fd 3 .* ending it/);
    expect((await h.closed)[0]).toBe('the hosts process was killed by SIGKILL');
  });
});
