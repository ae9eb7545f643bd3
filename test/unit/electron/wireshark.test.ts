import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findWireshark, openInWireshark, pcapFileName } from '../../../electron/wireshark.js';
import { createBridge } from '../../../electron/preload-bridge.js';
import { IPC } from '../../../protocol/src/bridge.js';

/** A PATH folder holding an executable named wireshark (never run: spawn is faked). */
function fakePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netloom-path-'));
  writeFileSync(join(dir, 'wireshark'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, 'wireshark'), 0o755);
  return dir;
}

const pcap = (): Uint8Array => {
  const b = new Uint8Array(40);
  new DataView(b.buffer).setUint32(0, 0xa1b2c3d4, true);
  return b;
};

function recordingSpawn() {
  const calls: { program: string; args: string[]; opts: unknown }[] = [];
  const spawn = ((program: string, args: string[], opts: unknown) => {
    calls.push({ program, args, opts });
    return { on: () => {}, unref: () => {} };
  }) as unknown as typeof import('node:child_process').spawn;
  return { calls, spawn };
}

describe('Open in Wireshark (desktop)', () => {
  it('finds wireshark on PATH, and says so plainly when it is not installed', async () => {
    const dir = fakePath();
    expect(findWireshark(`relative:${dir}`)).toBe(join(dir, 'wireshark'));
    expect(findWireshark('/nonexistent')).toBeNull();
    const r = await openInWireshark(pcap(), 'x', { path: '/nonexistent', log: () => {} });
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/not installed/) });
  });

  it('writes the capture 0600 in a private folder and starts wireshark -r FILE with no shell', async () => {
    const { calls, spawn } = recordingSpawn();
    const r = await openInWireshark(pcap(), 'veth1-2026.pcap', { path: fakePath(), spawn, tempDir: mkdtempSync(join(tmpdir(), 'nl-')), log: () => {} });
    expect(r.ok).toBe(true);
    expect(calls).toHaveLength(1);
    const file = calls[0]!.args[1]!;
    expect(calls[0]!.args).toEqual(['-r', file]);
    expect(file.endsWith('/veth1-2026.pcap')).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file).length).toBe(40);
  });

  it('refuses what is not a pcap, and names no path outside its folder', async () => {
    const { calls, spawn } = recordingSpawn();
    const logs: string[] = [];
    const deps = { path: fakePath(), spawn, log: (l: string) => logs.push(l) };
    expect((await openInWireshark('not bytes', 'x', deps)).ok).toBe(false);
    expect((await openInWireshark(new Uint8Array(40), 'x', deps)).ok).toBe(false);
    expect(calls).toHaveLength(0);
    expect(logs).toHaveLength(2);
    expect(pcapFileName('../../etc/passwd')).toBe('_.._etc_passwd.pcap');
    expect(pcapFileName(42)).toBe('capture.pcap');
  });

  it('the preload offers it only through invoke, and checks what main answers', async () => {
    const invoked: unknown[][] = [];
    const bridge = createBridge({
      send: () => {},
      on: () => undefined,
      invoke: async (channel, ...args) => {
        invoked.push([channel, ...args]);
        return channel === IPC.wiresharkAvailable ? true : { ok: 'yes', message: 7 };
      },
    });
    expect(await bridge.wireshark?.available()).toBe(true);
    expect(await bridge.wireshark?.open(pcap(), 'a.pcap')).toEqual({ ok: false, message: 'Wireshark did not answer.' });
    expect(invoked.map((c) => c[0])).toEqual([IPC.wiresharkAvailable, IPC.wiresharkOpen]);
    expect(createBridge({ send: () => {}, on: () => undefined }).wireshark).toBeUndefined();
  });
});
