import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureData } from '../../protocol/src/capture.js';
import type { HelperClient } from '../../protocol/src/client.js';
import type { CountersSample } from '../../protocol/src/counters.js';
import type { StreamEnd } from '../../protocol/src/messages.js';
import type { ParamsOf } from '../../protocol/src/methods.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox, sh } from '../sandbox.js';
import { hostId, ifc, nsNamed, startWatchedHelper } from './watched-helper.js';
import type { WatchedHelper } from './watched-helper.js';

// The control, capture and counters methods through the built `netloom helper --stdio`, against
// the sandbox's real kernel: a plan applied shows up as a patch, undo takes it away, a capture
// sees a ping and saves a pcap, counters tick.

const stateDir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
const nsOf = nsNamed;

let w: WatchedHelper;
let helper: ChildProcessWithoutNullStreams;
let client: HelperClient;
const until = (ok: (s: Snapshot) => boolean, limit = 2000): Promise<number> => w.until(ok, { limit });

const LAB: ParamsOf<'plan.apply'> = {
  intents: [
    { op: 'netns.create', name: 'mt1' },
    { op: 'bridge.create', name: 'mtbr0' },
    { op: 'veth.create', a: { name: 'mtv0' }, b: { name: 'mtv1', ns: 'mt1' } },
    { op: 'link.set', name: 'mtv0', master: 'mtbr0', up: true },
    { op: 'link.set', name: 'mtbr0', up: true },
    { op: 'addr.add', dev: 'mtbr0', cidr: '10.66.0.1/24' },
    { op: 'link.set', name: 'mtv1', ns: 'mt1', up: true },
    { op: 'addr.add', dev: 'mtv1', ns: 'mt1', cidr: '10.66.0.2/24' },
  ],
};

beforeAll(async () => {
  await resetSandbox();
  w = await startWatchedHelper({ NETLOOM_STATE_DIR: stateDir });
  ({ helper, client } = w);
}, 60_000);

afterAll(async () => {
  if (helper.exitCode === null) helper.kill('SIGKILL');
  await resetSandbox();
});

describe('control, capture and counters over netloom helper --stdio', () => {
  let planId = '';

  it('plan.preview lists the commands and changes nothing', async () => {
    const preview = await client.call('plan.preview', LAB);
    expect(preview.steps.length).toBeGreaterThan(0);
    expect(preview.steps.map((s) => s.command).join('\n')).toContain('mtbr0');
    expect(preview.warnings).toEqual([]);
    expect(await sh(['ip', 'netns', 'list'])).not.toContain('mt1');
  });

  it('plan.apply builds the lab, and the watch shows it', async () => {
    const applied = await client.call('plan.apply', LAB);
    planId = applied.planId;
    expect(applied.steps.every((s) => s.undo !== null)).toBe(true);
    const ms = await until((s) => {
      const mt1 = nsOf(s, 'mt1');
      return !!mt1 && ifc(s, hostId(), 'mtbr0')?.up === true && ifc(s, mt1.id, 'mtv1')?.addresses.includes('10.66.0.2/24') === true;
    });
    process.stderr.write(`[methods] plan.apply ${applied.steps.length} steps in ${applied.ms} ms; patch showed it ${ms.toFixed(0)} ms after the reply\n`);
  });

  it('plan.history lists it, undoable', async () => {
    const { plans } = await client.call('plan.history', {});
    expect(plans[0]).toMatchObject({ planId, undoable: true });
  });

  it('capture.start on the veth sees a ping; capture.save yields a pcap', async () => {
    const data: CaptureData[] = [];
    let ended!: (e: StreamEnd) => void;
    const end = new Promise<StreamEnd>((r) => (ended = r));
    let firstBatch!: () => void;
    const started = new Promise<void>((r) => (firstBatch = r));
    const h = client.watch('capture.start', { ns: hostId(), interface: 'mtv0', filter: 'icmp', count: 6 }, (d) => (data.push(d), firstBatch()), ended);
    // The first (empty) batch says tcpdump listens.
    const t0 = performance.now();
    await Promise.race([started, new Promise((_, rej) => setTimeout(() => rej(new Error('no first batch')), 5000))]);
    process.stderr.write(`[methods] capture.start → listening batch in ${(performance.now() - t0).toFixed(0)} ms\n`);
    expect(data[0]).toEqual({ batch: expect.objectContaining({ packets: [] }) });
    await sh(['ping', '-c', '3', '-i', '0.2', '-W', '1', '10.66.0.2']);
    const e = await Promise.race([end, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('capture did not end')), 5000))]);
    expect(e.reason).toBe('count');
    const packets = data.flatMap((d) => ('batch' in d ? d.batch.packets : []));
    expect(packets).toHaveLength(6);
    expect(packets.every((p) => /ICMP/.test(p.proto))).toBe(true);
    expect(packets.map((p) => p.info).join(' ')).toMatch(/echo request/i);
    const first = await client.call('capture.save', { stream: h.id, offset: 0, maxBytes: 1024 });
    const chunks = [Buffer.from(first.data, 'base64')];
    for (let off = first.offset + chunks[0]!.length, done = first.done; !done; ) {
      const c = await client.call('capture.save', { stream: h.id, offset: off, maxBytes: 1024 });
      chunks.push(Buffer.from(c.data, 'base64'));
      off += Buffer.from(c.data, 'base64').length;
      done = c.done;
    }
    const pcap = Buffer.concat(chunks);
    expect(pcap.length).toBe(first.total);
    expect(pcap.readUInt32LE(0).toString(16)).toMatch(/^(a1b2c3d4|a1b23c4d)$/);
    const pkt = await client.call('capture.packet', { stream: h.id, n: 1 });
    expect(pkt.summary.dst).toBe('10.66.0.2');
    // Wireshark's decode where tshark is installed (.ci/run installs it), a sentence where not.
    const full = await client.call('capture.fullDecode', { stream: h.id, n: 1 });
    if (existsSync('/usr/bin/tshark')) expect(full).toMatchObject({ available: true, text: expect.stringMatching(/Internet Control Message Protocol[\s\S]*Echo \(ping\) request/) });
    else expect(full).toMatchObject({ available: false, text: expect.stringMatching(/tshark/) });
  });

  it('capture.start stopped by cancel still sends its final counts and end before the stream ends', async () => {
    const data: CaptureData[] = [];
    const ended = await new Promise<StreamEnd>((resolve) => {
      const h = client.watch('capture.start', { ns: hostId(), interface: 'mtv0' }, (d) => {
        data.push(d);
        if (data.length === 1) h.cancel();
      }, resolve);
    });
    expect(data.at(-1)).toMatchObject({ end: { reason: 'stopped' } });
    expect(ended.reason).toBe('stopped');
  });

  it('capture.checkFilter: ok, and invalid at path filter', async () => {
    expect(await client.call('capture.checkFilter', { ns: hostId(), interface: 'mtv0', filter: 'icmp' })).toEqual({ ok: true });
    const bad = await client.call('capture.checkFilter', { ns: hostId(), interface: 'mtv0', filter: 'icmp and and' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid', path: 'params.filter' });
  });

  it('counters.watch gives samples with the lab interfaces', async () => {
    const samples: CountersSample[] = [];
    await new Promise<void>((resolve) => {
      const h = client.watch('counters.watch', { intervalMs: 200 }, (s) => {
        samples.push(s);
        if (samples.length === 3) {
          h.cancel();
          resolve();
        }
      }, () => resolve());
    });
    const view = w.view();
    const mtv0 = view && ifc(view, hostId(), 'mtv0')?.id;
    expect(samples).toHaveLength(3);
    expect(samples[2]?.interfaces.find((i) => i.id === mtv0)?.totals.txPackets).toBeGreaterThan(0);
    expect(samples[2]?.interfaces.find((i) => i.id === mtv0)?.rates).not.toBeNull();
  });

  it('plan.undo removes it, the watch shows that, and nothing is left to undo', async () => {
    const undone = await client.call('plan.undo', {});
    expect(undone.planId).toBe(planId);
    await until((s) => !nsOf(s, 'mt1') && !ifc(s, hostId(), 'mtbr0') && !ifc(s, hostId(), 'mtv0'));
    expect((await client.call('plan.history', {})).plans).toEqual([]);
    const again = await client.call('plan.undo', {}).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'not_found' });
    expect(readFileSync(join(stateDir, 'journal.jsonl'), 'utf8')).toContain('"undone"');
  });

  it('a port mapping: preview warns; a flushed jump is restored by the rules check', async () => {
    const map: ParamsOf<'plan.apply'> = { intents: [{ op: 'portmap.add', proto: 'tcp', hostPort: 18080, targetIp: '10.67.0.9', targetPort: 80 }] };
    const preview = await client.call('plan.preview', map);
    expect(preview.warnings.join('\n')).toMatch(/no interface has address 10\.67\.0\.9/);
    await client.call('plan.apply', map);
    // The watch shows the mapping at once, not at the rules check's next round (every 5 s).
    const shown = await until((s) => s.portMappings.some((m) => m.hostPort === 18080 && m.owner === 'netloom'), 2000);
    process.stderr.write(`[methods] a port mapping applied: on the watch ${shown.toFixed(0)} ms after the reply\n`);
    const jump = ['-m', 'comment', '--comment', 'netloom', '-j', 'NETLOOM-PREROUTING'];
    expect(await sh(['iptables-save', '-t', 'nat'])).toContain('-A PREROUTING -m comment --comment netloom -j NETLOOM-PREROUTING');
    await sh(['iptables', '-t', 'nat', '-D', 'PREROUTING', ...jump]);
    const t0 = performance.now();
    for (;;) {
      if ((await sh(['iptables-save', '-t', 'nat'])).includes('-A PREROUTING -m comment --comment netloom -j NETLOOM-PREROUTING')) break;
      if (performance.now() - t0 > 12_000) throw new Error('the jump was not restored within 12 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    process.stderr.write(`[methods] flushed jump restored after ${(performance.now() - t0).toFixed(0)} ms\n`);
    await client.call('plan.undo', {});
    expect(await sh(['iptables-save', '-t', 'nat'])).not.toContain('NETLOOM-PREROUTING -p tcp');
  }, 20_000);
});

describe('firewall.counters', () => {
  it("reads every source's counters now: a ping through an nftables counter and an iptables rule moves both", async () => {
    await client.call('plan.apply', LAB);
    await sh(['nft', 'add', 'table', 'inet', 'cnt']);
    await sh(['nft', 'add', 'chain', 'inet', 'cnt', 'in', '{ type filter hook input priority 0; policy accept; }']);
    await sh(['nft', 'add', 'rule', 'inet', 'cnt', 'in', 'ip', 'saddr', '10.66.0.2', 'counter', 'accept']);
    await sh(['iptables', '-A', 'INPUT', '-s', '10.66.0.2', '-j', 'ACCEPT']);
    const host = hostId();
    const before = await client.call('firewall.counters', { ns: host });
    await sh(['ip', 'netns', 'exec', 'mt1', 'ping', '-c', '3', '-i', '0.2', '-W', '1', '10.66.0.1']);
    const after = await client.call('firewall.counters', { ns: host });
    const pick = (c: typeof after, backend: string, chain: string) => c.rules.find((r) => r.backend === backend && r.chain === chain && r.index === 0)!;
    expect(pick(after, 'nftables', 'in').packets - pick(before, 'nftables', 'in').packets).toBeGreaterThanOrEqual(3);
    expect(pick(after, 'nft-compat', 'INPUT').packets - pick(before, 'nft-compat', 'INPUT').packets).toBeGreaterThanOrEqual(3);
    expect(pick(after, 'nftables', 'in').handle).toBeGreaterThan(0);
    await expect(client.call('firewall.counters', { ns: 'nope' } as never)).rejects.toMatchObject({ code: 'invalid', path: expect.stringMatching(/(^|\.)ns$/) });
  });
});
