import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemExec } from '../../helper/exec.js';
import { Journal } from '../../helper/intents/journal.js';
import { applyIntents } from '../../helper/intents/run-intents.js';
import { undoLast } from '../../helper/intents/undo.js';
import { assertInSandbox, resetSandbox, sh } from '../sandbox.js';

// A namespace with no /run/netns name (a process's, as a container runtime leaves them) is
// addressed by its id `ns:<inode>`: netloom enters it with nsenter and places a veth end there by pid.

let holder: ChildProcess;
let id = '';

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
  holder = spawn('unshare', ['--net', 'sleep', '60'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && id === ''; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const link = readlinkSync(`/proc/${holder.pid}/ns/net`);
    if (link !== readlinkSync('/proc/self/ns/net')) id = `ns:${/\d+/.exec(link)![0]}`;
  }
});

afterAll(async () => {
  if (holder.pid !== undefined && holder.exitCode === null) process.kill(holder.pid, 'SIGKILL');
  await resetSandbox();
});

describe('control: a namespace known only by its id', () => {
  it('gets a veth end, an address and a link up; the host pings it; undo takes it all back', async () => {
    const journal = new Journal(mkdtempSync(join(tmpdir(), 'netloom-state-')));
    const r = await applyIntents(
      systemExec,
      [
        { op: 'veth.create', a: { name: 'vp0' }, b: { name: 'vp1', ns: id } },
        { op: 'addr.add', dev: 'vp0', cidr: '10.9.0.1/24' },
        { op: 'link.set', name: 'vp0', up: true },
        { op: 'addr.add', ns: id, dev: 'vp1', cidr: '10.9.0.2/24' },
        { op: 'link.set', ns: id, name: 'vp1', up: true },
      ],
      { journal },
    );
    expect(r.steps.map((s) => s.command.split('\n')[0])).toEqual([
      "ip -batch - <<'EOF'",
      `nsenter --net=/proc/${holder.pid}/ns/net -- ip -batch - <<'EOF'`,
    ]);
    expect(r.steps[0]!.command).toContain(`link add vp0 type veth peer name vp1 netns ${holder.pid}`);
    await sh(['ping', '-c', '1', '-W', '1', '10.9.0.2']);
    await undoLast(systemExec, journal);
    expect(await sh(['ip', '-br', 'link'])).not.toContain('vp0');
    expect(await sh(['nsenter', `--net=/proc/${holder.pid}/ns/net`, 'ip', '-br', 'link'])).not.toContain('vp1');
  });
});
