import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NsPresence, processNamespaceKeys } from '../../../../helper/watch/ns-presence.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let presence: NsPresence | null = null;
afterEach(() => presence?.stop());

function fakeProc(): { dir: string; addPid: (pid: number, inode: number) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'netloom-proc-'));
  return {
    dir,
    addPid: (pid, inode) => {
      mkdirSync(join(dir, String(pid), 'ns'), { recursive: true });
      symlinkSync(`net:[${inode}]`, join(dir, String(pid), 'ns', 'net'));
    },
  };
}

describe('NsPresence', () => {
  it('reads the set of process namespaces by readlink', async () => {
    const p = fakeProc();
    p.addPid(1, 111);
    p.addPid(2, 111);
    p.addPid(3, 222);
    mkdirSync(join(p.dir, 'sys'));
    expect([...(await processNamespaceKeys(p.dir))].sort()).toEqual(['net:[111]', 'net:[222]']);
  });

  it('signals when a process namespace appears or goes, not when a process joins a known one', async () => {
    const p = fakeProc();
    p.addPid(1, 111);
    let changes = 0;
    presence = new NsPresence(() => changes++, { dirs: [], procDir: p.dir, pollMs: 20 });
    presence.start();
    await sleep(50);
    p.addPid(2, 111);
    await sleep(50);
    expect(changes).toBe(0);
    p.addPid(3, 333);
    await sleep(50);
    expect(changes).toBe(1);
    rmSync(join(p.dir, '3'), { recursive: true });
    await sleep(50);
    expect(changes).toBe(2);
  });

  it('signals when a file appears in a watched netns directory', async () => {
    const p = fakeProc();
    const netns = mkdtempSync(join(tmpdir(), 'netloom-netns-'));
    let changes = 0;
    presence = new NsPresence(() => changes++, { dirs: [netns], procDir: p.dir, pollMs: 1000 });
    presence.start();
    await sleep(20);
    writeFileSync(join(netns, 'lab1'), '');
    await sleep(100);
    expect(changes).toBeGreaterThanOrEqual(1);
  });

  it("leaves the helper's own children out: a namespace only our monitor sits in counts as gone", async () => {
    const p = fakeProc();
    p.addPid(1, 111);
    p.addPid(40, 444); // the container's init
    p.addPid(41, 444); // our `ip monitor`, entered into it
    expect([...(await processNamespaceKeys(p.dir, new Set([41])))].sort()).toEqual(['net:[111]', 'net:[444]']);
    rmSync(join(p.dir, '40'), { recursive: true });
    expect([...(await processNamespaceKeys(p.dir, new Set([41])))]).toEqual(['net:[111]']);
  });

  it('checkSoon looks at once instead of at the next poll', async () => {
    const p = fakeProc();
    p.addPid(1, 111);
    let changes = 0;
    presence = new NsPresence(() => changes++, { dirs: [], procDir: p.dir, pollMs: 60_000, exclude: () => new Set() });
    presence.start();
    await sleep(30);
    p.addPid(5, 555);
    presence.checkSoon();
    presence.checkSoon();
    await sleep(80);
    expect(changes).toBe(1);
  });
});
