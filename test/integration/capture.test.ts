import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../protocol/src/index.js';
import { systemExec } from '../../helper/exec.js';
import { startCapture, type CaptureHandle } from '../../helper/streams/capture.js';
import { assertInSandbox, lab, resetSandbox, sh } from '../sandbox.js';
import { RecordingSink, targets, tcpdumpPids } from './capture-lab.js';

// Real tcpdump in the sandbox's namespaces: pings across a veth, HTTP across a bridge, a bad
// filter, an interface deleted under a running capture. After every test no tcpdump is left.

const tmp = mkdtempSync(join(tmpdir(), 'netloom-capture-'));

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
  await lab(`
    ip netns add ca
    ip netns add cb
    ip link add va type veth peer name vb
    ip link set va netns ca
    ip link set vb netns cb
    ip -n ca addr add 10.61.0.1/24 dev va
    ip -n cb addr add 10.61.0.2/24 dev vb
    ip -n ca link set va up
    ip -n cb link set vb up
    ip -n ca link set lo up
    ip -n cb link set lo up
    ip netns add ha
    ip netns add hb
    ip link add br0 type bridge
    ip link add ha0 type veth peer name hap
    ip link add hb0 type veth peer name hbp
    ip link set ha0 netns ha
    ip link set hb0 netns hb
    ip link set hap master br0
    ip link set hbp master br0
    ip link set hap up
    ip link set hbp up
    ip link set br0 up
    ip -n ha addr add 10.62.0.1/24 dev ha0
    ip -n hb addr add 10.62.0.2/24 dev hb0
    ip -n ha link set ha0 up
    ip -n hb link set hb0 up
  `);
  writeFileSync(join(tmp, 'index.html'), 'hello from netloom\n');
});

// Every capture a test starts is stopped afterwards even if an assertion failed first.
const started: CaptureHandle[] = [];
const track = (h: CaptureHandle): CaptureHandle => (started.push(h), h);

afterEach(async () => {
  for (const h of started.splice(0)) {
    h.stop();
    await h.done;
  }
  expect(tcpdumpPids()).toEqual([]);
});

afterAll(async () => {
  await resetSandbox();
});

describe('capture (real tcpdump in the sandbox)', () => {
  it('ping across a veth: exactly the echo requests and replies, saved file readable by tcpdump -r', async () => {
    const t = await targets();
    const sink = new RecordingSink();
    const cap = track(await startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'vb', filter: 'icmp', count: 6 }, undefined, sink));
    await sh(['ip', 'netns', 'exec', 'ca', 'ping', '-c', '3', '-i', '0.2', '-W', '1', '10.61.0.2']);
    const end = await cap.done;
    expect(end.reason).toBe('count');
    expect(end.stats.captured).toBe(6);
    expect(sink.packets.map((p) => [p.n, p.proto, p.src, p.dst, p.info.replace(/, id \d+/, '')])).toEqual([
      [1, 'ICMP', '10.61.0.1', '10.61.0.2', 'echo request, seq 1, length 64'],
      [2, 'ICMP', '10.61.0.2', '10.61.0.1', 'echo reply, seq 1, length 64'],
      [3, 'ICMP', '10.61.0.1', '10.61.0.2', 'echo request, seq 2, length 64'],
      [4, 'ICMP', '10.61.0.2', '10.61.0.1', 'echo reply, seq 2, length 64'],
      [5, 'ICMP', '10.61.0.1', '10.61.0.2', 'echo request, seq 3, length 64'],
      [6, 'ICMP', '10.61.0.2', '10.61.0.1', 'echo reply, seq 3, length 64'],
    ]);
    expect(sink.packets.every((p) => p.length === 98)).toBe(true);
    expect(cap.packet(2)?.bytes.length).toBe(98);
    expect(cap.packet(2)?.tree.map((n) => n.label)[2]).toBe('Internet Control Message Protocol');
    expect(cap.packet(7)).toBeUndefined();
    const file = join(tmp, 'ping.pcap');
    writeFileSync(file, cap.pcap());
    const lines = (await sh(['tcpdump', '-n', '-r', file])).trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/10\.61\.0\.1 > 10\.61\.0\.2: ICMP echo request, id \d+, seq 1, length 64/);
    expect(lines[5]).toMatch(/10\.61\.0\.2 > 10\.61\.0\.1: ICMP echo reply, id \d+, seq 3, length 64/);
    expect(end.stats.kernelDropped).toBe(0);
  });

  it('HTTP across a bridge: the TCP handshake decoded on the bridge', async () => {
    const httpd = spawn('ip', ['netns', 'exec', 'hb', 'busybox', 'httpd', '-f', '-p', '10.62.0.2:8080', '-h', tmp], { stdio: 'ignore' });
    try {
      const t = await targets();
      const sink = new RecordingSink();
      const ac = new AbortController();
      const cap = track(await startCapture(systemExec, t.resolve, { ns: t.id('host'), interface: 'br0', filter: 'tcp port 8080' }, ac.signal, sink));
      await new Promise((r) => setTimeout(r, 300)); // httpd listening
      const body = await sh(['ip', 'netns', 'exec', 'ha', 'curl', '-s', '--max-time', '5', 'http://10.62.0.2:8080/index.html']);
      expect(body).toBe('hello from netloom\n');
      await sink.waitFor(() => sink.packets.filter((p) => p.info.includes('FIN')).length >= 2);
      ac.abort();
      const end = await cap.done;
      expect(end.reason).toBe('stopped');
      const flags = sink.packets.slice(0, 3).map((p) => /\[([A-Z, ]+)\]/.exec(p.info)?.[1]);
      expect(flags).toEqual(['SYN', 'SYN, ACK', 'ACK']);
      expect(sink.packets[0]?.dst).toBe('10.62.0.2.8080');
      expect(sink.packets[1]?.src).toBe('10.62.0.2.8080');
      expect(sink.packets.some((p) => /\[PSH, ACK\]/.test(p.info) && p.src.startsWith('10.62.0.1.'))).toBe(true);
      const follow = cap.follow(1);
      expect(follow?.server).toBe('10.62.0.2.8080');
      const said = (fromClient: boolean): string => Buffer.concat((follow?.segments ?? []).filter((x) => x.fromClient === fromClient).map((x) => x.data)).toString();
      expect(said(true)).toMatch(/^GET \/index\.html HTTP\/1\.1\r\n/);
      expect(said(false)).toMatch(/^HTTP\/1\.[01] 200 OK[\s\S]*hello from netloom\n$/);
    } finally {
      httpd.kill('SIGTERM');
    }
  });

  it('a bad filter is an invalid error in under a second, and no tcpdump is started', async () => {
    const t = await targets();
    const t0 = performance.now();
    const err = await startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'vb', filter: 'tcp port bogus and' }, undefined, new RecordingSink()).then(
      () => null,
      (e: unknown) => e,
    );
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe('invalid');
    expect((err as ProtocolError).path).toBe('filter');
    expect((err as ProtocolError).message).toMatch(/^filter: /);
    expect(ms).toBeLessThan(1000);
  });

  it('bad params, a missing interface and an unknown namespace are refused before tcpdump runs', async () => {
    const t = await targets();
    const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (e instanceof ProtocolError ? `${e.code}:${e.path}` : String(e)));
    const sink = new RecordingSink();
    expect(await codeOf(startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'a/b' }, undefined, sink))).toBe('invalid:interface');
    expect(await codeOf(startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'vb', snaplen: 10 }, undefined, sink))).toBe('invalid:snaplen');
    expect(await codeOf(startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'nosuch0' }, undefined, sink))).toBe('not_found:interface');
    expect(await codeOf(startCapture(systemExec, t.resolve, { ns: 'ns:1', interface: 'vb' }, undefined, sink))).toBe('not_found:ns');
  });

  it('the interface deleted mid-capture ends it with interface-gone', async () => {
    await lab(`
      ip link add vx type veth peer name vy
      ip link set vy netns cb
      ip -n cb link set vy up
    `);
    const t = await targets();
    const sink = new RecordingSink();
    const cap = track(await startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'vy' }, undefined, sink));
    await new Promise((r) => setTimeout(r, 500));
    await sh(['ip', '-n', 'cb', 'link', 'delete', 'vy']);
    const end = await Promise.race([cap.done, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    expect(end?.reason).toBe('interface-gone');
    expect(end?.message).toMatch(/vy no longer exists/);
    expect(sink.end).toEqual(end);
  });

  it('an unnamed namespace (a process\'s) is entered with nsenter', async () => {
    const holder = spawn('unshare', ['--net', '--', 'sleep', '30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const pid = String(holder.pid);
      await lab(`
        ip link add px type veth peer name py
        ip link set py netns ${pid}
        ip addr add 10.65.0.1/24 dev px
        ip link set px up
      `);
      await sh(['nsenter', `--net=/proc/${pid}/ns/net`, '--', 'ip', 'addr', 'add', '10.65.0.2/24', 'dev', 'py']);
      await sh(['nsenter', `--net=/proc/${pid}/ns/net`, '--', 'ip', 'link', 'set', 'py', 'up']);
      const t = await targets();
      const nsId = `ns:${/\d+/.exec(await sh(['readlink', `/proc/${pid}/ns/net`]))?.[0]}`;
      expect(t.resolve(nsId)?.name).toBeNull();
      const sink = new RecordingSink();
      const cap = track(await startCapture(systemExec, t.resolve, { ns: nsId, interface: 'py', filter: 'icmp', count: 2 }, undefined, sink));
      await sh(['ping', '-c', '1', '-W', '1', '10.65.0.2']);
      const end = await cap.done;
      expect(end.reason).toBe('count');
      expect(sink.packets.map((p) => p.info.replace(/, id \d+/, ''))).toEqual(['echo request, seq 1, length 64', 'echo reply, seq 1, length 64']);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('stops after T seconds; and on abort tcpdump is gone at once', async () => {
    const t = await targets();
    const sink = new RecordingSink();
    const t0 = Date.now();
    const cap = track(await startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'vb', seconds: 1.6 }, undefined, sink, { pollMs: 500 }));
    expect(tcpdumpPids()).toContain(cap.pid);
    expect(cap.stats().kernelDropped).toBeNull();
    await new Promise((r) => setTimeout(r, 1200));
    // tcpdump answered SIGUSR1 with its counts while running (and was not killed by it).
    expect(cap.stats().kernelDropped).toBe(0);
    const end = await cap.done;
    expect(end.reason).toBe('time');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1600);
    expect(Date.now() - t0).toBeLessThan(3500);
    const ac = new AbortController();
    const cap2 = track(await startCapture(systemExec, t.resolve, { ns: t.id('cb'), interface: 'vb' }, ac.signal, new RecordingSink()));
    ac.abort();
    expect((await cap2.done).reason).toBe('stopped');
  });
});
