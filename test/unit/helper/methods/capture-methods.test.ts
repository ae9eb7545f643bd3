import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CaptureData } from '../../../../protocol/src/capture.js';
import type { StreamEnd } from '../../../../protocol/src/messages.js';
import { ProtocolError } from '../../../../protocol/src/errors.js';
import type { Exec } from '../../../../helper/exec.js';
import { CaptureRegistry } from '../../../../helper/server/capture-registry.js';
import { CaptureBudget } from '../../../../helper/server/capture-budget.js';
import type { CaptureHandle } from '../../../../helper/streams/capture.js';
import { FakeChild, snapshotWith, withInterface } from '../server/fakes.js';
import { fixture } from '../pcap/fixtures.js';
import { served } from './setup.js';

const PING = fixture('ping-nano.pcap');

/** tcpdump faked: `-d` compiles, the capture says it listens, then writes the fixture and exits. */
function tcpdumpExec() {
  const f = { runs: [] as string[][], spawns: [] as string[][], children: [] as FakeChild[] };
  const exec: Exec = {
    run: async (argv) => {
      f.runs.push([...argv]);
      return { argv, stdout: '(000) ret #262144\n', stderr: '', exitCode: 0 };
    },
    spawn: (argv) => {
      f.spawns.push([...argv]);
      const child = new FakeChild();
      f.children.push(child);
      setTimeout(() => {
        child.stderr.write('tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n');
        child.stdout.write(PING);
      }, 2);
      setTimeout(() => {
        child.exitCode = 0;
        child.stdout.end();
        child.emit('exit', 0, null);
        child.emit('close', 0, null);
      }, 80);
      return child as unknown as ChildProcess;
    },
  };
  return { ...f, exec };
}

const world = withInterface(snapshotWith(['host']), 'ns:100', 1, 'lo');

async function capture(t: Awaited<ReturnType<typeof served>>, filter = '') {
  const data: CaptureData[] = [];
  let handleId: number | string = -1;
  const end = await new Promise<StreamEnd>((resolve) => {
    handleId = t.client.watch('capture.start', { ns: 'ns:100', interface: 'lo', filter }, (d) => data.push(d), resolve).id;
  });
  return { data, end, id: handleId };
}

describe('capture methods', () => {
  it('streams batches then the end; packet, save and follow read the ring after it ended', async () => {
    const f = tcpdumpExec();
    const t = await served(f.exec, world);
    const { data, end, id } = await capture(t, 'icmp');
    expect(f.spawns[0]).toEqual(expect.arrayContaining(['tcpdump', '-i', 'lo', '--', 'icmp']));
    const packets = data.flatMap((d) => ('batch' in d ? d.batch.packets : []));
    expect(packets.length).toBeGreaterThan(0);
    expect(packets[0]?.proto).toMatch(/ICMP/);
    expect(data.at(-1)).toEqual({ end: expect.objectContaining({ reason: 'tcpdump-died' }) });
    expect(end.reason).toBe('tcpdump-died');
    expect(data[0]).toEqual({ batch: expect.objectContaining({ packets: [] }) });
    expect(data.some((d) => 'batch' in d && d.batch.appliedFilter !== undefined)).toBe(false);

    const p = await t.client.call('capture.packet', { stream: id, n: 1 });
    expect(Buffer.from(p.bytes, 'base64').length).toBeGreaterThan(40);
    expect(p.tree.length).toBeGreaterThan(0);
    const chunk = await t.client.call('capture.save', { stream: id, offset: 0, maxBytes: 1024 });
    const bytes = Buffer.from(chunk.data, 'base64');
    expect(bytes.readUInt32LE(0).toString(16)).toMatch(/^(a1b2c3d4|a1b23c4d)$/);
    expect(chunk.total).toBeGreaterThan(24);
    expect(chunk.done).toBe(chunk.total <= 1024);
    const missing = await t.client.call('capture.packet', { stream: id, n: 9999 }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'not_found', path: 'params.n' });
    const other = await t.client.call('capture.save', { stream: 'nope', offset: 0, maxBytes: 1024 }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ProtocolError);
    expect(other).toMatchObject({ code: 'not_found', path: 'params.stream' });
  });

  it('in browser mode, a loopback capture leaves the WebSocket port out and says so first', async () => {
    const f = tcpdumpExec();
    const t = await served(f.exec, world, (ctx) => (ctx.browserPort = 4711));
    const { data } = await capture(t, 'icmp');
    expect(f.spawns[0]?.slice(-2)).toEqual(['--', '(icmp) and not (tcp port 4711)']);
    expect(data[0]).toEqual({ batch: expect.objectContaining({ packets: [], appliedFilter: '(icmp) and not (tcp port 4711)' }) });
  });

  it('checkFilter: ok, or invalid at path filter with tcpdump\'s words', async () => {
    const ok = tcpdumpExec();
    const t = await served(ok.exec, world);
    expect(await t.client.call('capture.checkFilter', { ns: 'ns:100', interface: 'lo', filter: 'icmp' })).toEqual({ ok: true });
    expect(ok.runs[0]).toEqual(['tcpdump', '-d', '-i', 'lo', '--', 'icmp']);
    const bad: Exec = { ...ok.exec, run: async (argv) => ({ argv, stdout: '', stderr: 'tcpdump: syntax error in filter expression: syntax error\n', exitCode: 1 }) };
    const t2 = await served(bad, world);
    const e = await t2.client.call('capture.checkFilter', { ns: 'ns:100', interface: 'lo', filter: 'icmp and' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'invalid', path: 'params.filter' });
    const gone = await t2.client.call('capture.checkFilter', { ns: 'ns:999', interface: 'lo', filter: '' }).catch((x: unknown) => x);
    expect(gone).toMatchObject({ code: 'not_found', path: 'params.ns' });
  });
});

describe('CaptureRegistry', () => {
  const handle = (): CaptureHandle & { stopped: number } => {
    const h = { stopped: 0, stop: () => void h.stopped++, pcap: () => Buffer.from('x') } as unknown as CaptureHandle & { stopped: number };
    return h;
  };
  it('keeps the last 8 ended captures and stops running ones on close', () => {
    const r = new CaptureRegistry();
    for (let i = 1; i <= 10; i++) {
      r.add(i, handle());
      r.ended(i);
    }
    expect(() => r.get(1)).toThrow(/no capture/);
    expect(() => r.get(2)).toThrow(/no capture/);
    expect(r.get(3)).toBeDefined();
    const running = handle();
    r.add('live', running);
    expect(r.size).toBe(9);
    r.dropAll();
    expect(running.stopped).toBe(1);
    expect(r.size).toBe(0);
  });

  it('a fifth capture on one connection is refused before any tcpdump starts; stopping one makes room (issue 13 item 5)', async () => {
    const spawns: FakeChild[] = [];
    const exec: Exec = {
      run: async (argv) => ({ argv, stdout: '(000) ret #262144\n', stderr: '', exitCode: 0 }),
      spawn: () => {
        const child = new FakeChild();
        spawns.push(child);
        setTimeout(() => child.stderr.write('tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n'), 2);
        // Ends only when stopped: a close after the kill.
        child.kill = (signal = 'SIGTERM') => {
          if (!child.alive) return false;
          child.signalCode = signal;
          queueMicrotask(() => {
            child.stdout.end();
            child.emit('exit', null, signal);
            child.emit('close', null, signal);
          });
          return true;
        };
        return child as unknown as ChildProcess;
      },
    };
    const t = await served(exec, world, (ctx) => (ctx.captureBudget = new CaptureBudget()));
    const started = (): Promise<{ cancel: () => void; ended: Promise<StreamEnd> }> =>
      new Promise((resolve) => {
        let first = true;
        let endOf!: (e: StreamEnd) => void;
        const ended = new Promise<StreamEnd>((r) => (endOf = r));
        const h = t.client.watch('capture.start', { ns: 'ns:100', interface: 'lo', ringBytes: 32 * 1024 * 1024 }, () => {
          if (first) resolve({ cancel: () => h.cancel(), ended });
          first = false;
        }, endOf);
      });
    const four = [await started(), await started(), await started(), await started()];
    expect(spawns).toHaveLength(4);
    const fifth = await new Promise<StreamEnd>((resolve) => t.client.watch('capture.start', { ns: 'ns:100', interface: 'lo' }, () => {}, resolve));
    expect(fifth).toMatchObject({ reason: 'error', code: 'unavailable', message: expect.stringContaining('already runs 4 captures') });
    expect(spawns).toHaveLength(4);
    four[0]!.cancel();
    await four[0]!.ended;
    await started();
    expect(spawns).toHaveLength(5);
  });
});
