import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProtocolError, type CaptureEnd, type PacketSummary } from '../../../../protocol/src/index.js';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import type { Exec, RunResult } from '../../../../helper/exec.js';
import { startCapture } from '../../../../helper/streams/capture.js';
import { fixture } from '../pcap/fixtures.js';

// startCapture against a recording fake Exec: exact argv, validation before any program runs,
// the filter's error mapping, a pcap stream in random chunks, and end reasons from stderr.

const TARGET: NsTarget = { id: 'ns:4026532999', path: '/proc/4242/ns/net', name: null, own: false };

class FakeChild extends EventEmitter {
  stdout = new PassThrough();
  stderr = new PassThrough();
  pid = 999999;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  signals: string[] = [];
  kill(sig: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(sig);
    if (sig === 'SIGUSR1') return true;
    this.exit(null, sig);
    return true;
  }
  exit(code: number | null, sig: NodeJS.Signals | null = null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = sig;
    this.emit('exit', code, sig);
    this.stdout.end();
    this.stderr.end();
    setTimeout(() => this.emit('close', code, sig), 5);
  }
}

function fakeExec(compile: Partial<RunResult> = {}, listen = true): { exec: Exec; runs: string[][]; spawns: string[][]; child: FakeChild } {
  const child = new FakeChild();
  const f = {
    runs: [] as string[][],
    spawns: [] as string[][],
    child,
    exec: {
      run: async (argv: readonly string[]) => {
        f.runs.push([...argv]);
        return { argv, stdout: '(000) ret #262144\n', stderr: '', exitCode: 0, ...compile };
      },
      spawn: (argv: readonly string[]) => {
        f.spawns.push([...argv]);
        if (listen) setTimeout(() => child.stderr.write('tcpdump: listening on vb, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n'), 1);
        return child as unknown as ChildProcess;
      },
    } as Exec,
  };
  return f;
}

function sink(): { packets: PacketSummary[]; batches: number; end: CaptureEnd | null; onBatch: (p: PacketSummary[]) => void; onEnd: (e: CaptureEnd) => void } {
  const s = {
    packets: [] as PacketSummary[],
    batches: 0,
    end: null as CaptureEnd | null,
    onBatch: (p: PacketSummary[]) => {
      s.batches++;
      s.packets.push(...p);
    },
    onEnd: (e: CaptureEnd) => (s.end = e),
  };
  return s;
}

describe('startCapture with a fake exec', () => {
  it('runs tcpdump -d then tcpdump inside the namespace, the filter as ONE argument after --', async () => {
    const f = fakeExec();
    const cap = await startCapture(f.exec, () => TARGET, { ns: TARGET.id, interface: 'vb', filter: 'tcp and port 80', count: 5, snaplen: 128 }, undefined, sink());
    expect(f.runs).toEqual([['nsenter', '--net=/proc/4242/ns/net', '--', 'tcpdump', '-d', '-i', 'vb', '--', 'tcp and port 80']]);
    expect(f.spawns).toEqual([
      ['nsenter', '--net=/proc/4242/ns/net', '--', 'tcpdump', '-i', 'vb', '-U', '-w', '-', '-s', '128', '-B', '8192', '-c', '5', '--', 'tcp and port 80'],
    ]);
    cap.stop();
    expect((await cap.done).reason).toBe('stopped');
  });

  it('refuses bad params before running anything', async () => {
    for (const bad of [
      { ns: TARGET.id, interface: '' },
      { ns: TARGET.id, interface: 'sixteen-chars-xx' },
      { ns: TARGET.id, interface: '..' },
      { ns: TARGET.id, interface: 'vb', count: 0 },
      { ns: TARGET.id, interface: 'vb', count: 10_000_001 },
      { ns: TARGET.id, interface: 'vb', seconds: 86401 },
      { ns: TARGET.id, interface: 'vb', snaplen: 262145 },
      { ns: TARGET.id, interface: 'vb', filter: 'x'.repeat(1001) },
      { ns: 'host', interface: 'vb' },
      { ns: TARGET.id, interface: 'vb', extra: 1 },
    ]) {
      const f = fakeExec();
      const err = await startCapture(f.exec, () => TARGET, bad as never, undefined, sink()).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe('invalid');
      expect(f.runs.length + f.spawns.length).toBe(0);
    }
  });

  it("maps tcpdump -d's complaint to invalid filter, and device errors to not_found / failed", async () => {
    const cases: [string, string, string | undefined][] = [
      ["tcpdump: can't parse filter expression: syntax error\n", 'invalid', 'filter'],
      ['tcpdump: vb: No such device exists\n(No such device exists)\n', 'not_found', 'interface'],
      ['tcpdump: vb: That device is not up\n', 'failed', 'interface'],
      ['nsenter: cannot open /proc/4242/ns/net: No such file or directory\n', 'not_found', 'ns'],
    ];
    for (const [stderr, code, path] of cases) {
      const f = fakeExec({ exitCode: 1, stderr, stdout: '' });
      const err = (await startCapture(f.exec, () => TARGET, { ns: TARGET.id, interface: 'vb', filter: 'x' }, undefined, sink()).catch((e: unknown) => e)) as ProtocolError;
      expect([err.code, err.path], stderr).toEqual([code, path]);
      expect(f.spawns).toHaveLength(0);
    }
    const f = fakeExec({ exitCode: 1, stderr: "tcpdump: can't parse filter expression: syntax error\n" });
    const err = (await startCapture(f.exec, () => TARGET, { ns: TARGET.id, interface: 'vb', filter: 'port' }, undefined, sink()).catch((e: unknown) => e)) as ProtocolError;
    expect(err.message).toBe("filter: can't parse filter expression: syntax error");
  });

  it('parses the pcap stream in random chunks into numbered summaries; packet(n) and pcap() from the ring', async () => {
    const f = fakeExec();
    const s = sink();
    const cap = await startCapture(f.exec, () => TARGET, { ns: TARGET.id, interface: 'vb' }, undefined, s);
    const bytes = fixture('http.pcap');
    for (let o = 0; o < bytes.length; ) {
      const n = 1 + Math.floor(Math.random() * 97);
      f.child.stdout.write(bytes.subarray(o, o + n));
      o += n;
    }
    await new Promise((r) => setTimeout(r, 80));
    expect(s.packets.map((p) => p.n)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(s.packets[0]?.info).toMatch(/\[SYN\]/);
    expect(s.batches).toBeLessThanOrEqual(2);
    expect(cap.packet(4)?.tree.map((n) => n.label)).toHaveLength(4);
    expect(cap.pcap()).toEqual(bytes);
    f.child.stderr.write('tcpdump: pcap_loop: The interface disappeared\n12 packets captured\n12 packets received by filter\n7 packets dropped by kernel\n');
    await new Promise((r) => setTimeout(r, 10));
    f.child.exit(1);
    const end = await cap.done;
    expect(end).toMatchObject({ reason: 'interface-gone', stderr: 'tcpdump: pcap_loop: The interface disappeared' });
    expect(end.stats).toMatchObject({ captured: 12, kernelDropped: 7, summariesDropped: 0, ringPackets: 12 });
    expect(s.end).toEqual(end);
  });

  it('a namespace that stops resolving ends the capture namespace-gone; tcpdump is signalled', async () => {
    const f = fakeExec();
    let present = true;
    const cap = await startCapture(f.exec, () => (present ? TARGET : undefined), { ns: TARGET.id, interface: 'vb' }, undefined, sink(), { pollMs: 20 });
    await new Promise((r) => setTimeout(r, 50));
    expect(f.child.signals).toContain('SIGUSR1');
    present = false;
    const end = await cap.done;
    expect(end.reason).toBe('namespace-gone');
    expect(f.child.signals).toContain('SIGTERM');
  });

  it('a tcpdump that never says it is listening fails the start and is terminated', async () => {
    const f = fakeExec({}, false);
    const err = (await startCapture(f.exec, () => TARGET, { ns: TARGET.id, interface: 'vb' }, undefined, sink(), { startTimeoutMs: 50 }).catch((e: unknown) => e)) as ProtocolError;
    expect(err.code).toBe('failed');
    expect(err.message).toMatch(/did not start listening/);
    expect(f.child.signals).toContain('SIGTERM');
  });

  it('an abort signal ends it stopped', async () => {
    const f = fakeExec();
    const ac = new AbortController();
    const cap = await startCapture(f.exec, () => TARGET, { ns: TARGET.id, interface: 'vb' }, ac.signal, sink());
    ac.abort();
    expect((await cap.done).reason).toBe('stopped');
  });
});
