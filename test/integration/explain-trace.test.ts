import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import type { ExplainParams, ProbeResult } from '../../protocol/src/explain.js';
import { resetSandbox, sh } from '../sandbox.js';
import { httpd, ready } from './control-lab.js';
import type { Server } from './control-lab.js';
import { buildSingleNode, startHelper } from './explain-lab.js';

// Issue 12 item 5: "Check for real" with nftables tracing, on the real kernel. The single-node lab:
// ns1 (10.0.0.2) → host (forwarding, MASQUERADE out of uplink) → outside (203.0.113.2). Each test
// checks what the kernel traced, and that nothing of the trace is left behind: no table
// `netloom-trace` in any namespace, no `nft` process of the helper's.

let helper: ChildProcessWithoutNullStreams;
let client: HelperClient;
const servers: Server[] = [];
const NAMESPACES = ['host', 'ns1', 'outside'];
const toOutside = (more: Partial<ExplainParams> = {}): ExplainParams => ({ src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' }, ...more });
const extra: number[] = [];

async function probe(p: ExplainParams, signal?: AbortSignal): Promise<ProbeResult> {
  const r = await client.call('explain.probe', { ...p, trace: true }, signal);
  if (r.traced) extra.push(r.traced.extraMs);
  return r;
}

const nftIn = (ns: string, args: string[]): Promise<string> => sh(ns === 'host' ? ['nft', ...args] : ['ip', 'netns', 'exec', ns, 'nft', ...args]);

/** Every `nft` process running in the sandbox (its own pid namespace: only ours), as argv lines. */
function nftProcesses(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
      const i = argv.findIndex((a) => a === 'nft' || a.endsWith('/nft'));
      if (i >= 0 && (argv.includes('monitor') || argv.includes('-i'))) out.push(argv.join(' '));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function traceTables(): Promise<string[]> {
  const found: string[] = [];
  for (const ns of NAMESPACES) if ((await nftIn(ns, ['list', 'ruleset'])).includes('netloom-trace')) found.push(ns);
  return found;
}

/** Nothing left: waited for briefly, since a killed helper's children die a moment after it. */
async function expectNothingLeft(): Promise<void> {
  let tables: string[] = [];
  let procs: string[] = [];
  for (let i = 0; i < 40; i++) {
    tables = await traceTables();
    procs = nftProcesses();
    if (tables.length === 0 && procs.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(tables, 'namespaces still holding table inet netloom-trace').toEqual([]);
  expect(procs, 'nft processes still running').toEqual([]);
}

async function untilTracing(ns: string): Promise<void> {
  const on = await ready(async () => ((await nftIn(ns, ['list', 'tables'])).includes('netloom-trace') && nftProcesses().some((p) => p.includes('monitor')) ? 'on' : ''));
  expect(on).toBe('on');
}

const hostId = async (): Promise<string> => {
  const s = await client.call('topology.get', {});
  return s.namespaces.find((n) => n.kind === 'host')!.id;
};

beforeAll(async () => {
  await resetSandbox();
  ({ helper, client } = await startHelper({}));
}, 60_000);

beforeEach(async () => {
  for (const s of servers.splice(0)) s.stop();
  await resetSandbox();
  await buildSingleNode();
});

afterAll(async () => {
  for (const s of servers.splice(0)) s.stop();
  if (helper.exitCode === null) helper.kill('SIGKILL');
  await resetSandbox();
  // The figure the report quotes: what tracing adds to a probe (set-up, drain, take-down).
  if (extra.length) console.log(`[trace] extra time per traced probe: ${extra.map((x) => Math.round(x)).join(', ')} ms`);
});

describe('explain.probe with trace: the rule that really decided', () => {
  it('an nftables-only drop (inet table, forward policy drop): the trace names that chain\'s policy', async () => {
    await nftIn('host', ['add', 'table', 'inet', 'f']);
    await nftIn('host', ['add', 'chain', 'inet', 'f', 'fw', '{ type filter hook forward priority 0; policy drop; }']);
    const r = await probe(toOutside());
    expect(r.reached).toBe(false);
    const host = await hostId();
    expect(r.decidedBy).toEqual({ kind: 'policy', ns: host, table: 'f', chain: 'fw', policy: 'drop', backend: 'nftables', family: 'inet' });
    expect(r.trace).toContainEqual(expect.objectContaining({ ns: host, hook: 'forward', direction: 'request', verdict: 'drop', packets: 3, text: 'nft inet f fw: dropped by its policy drop' }));
    expect(r.traced?.namespaces).toHaveLength(3);
    await expectNothingLeft();
  });

  it('a DROP in an iptables-nft chain (the connect runs into its 2 s limit): named as iptables-nft-save spells it, with its handle', async () => {
    await sh(['iptables-nft', '-N', 'BLOCK']);
    await sh(['iptables-nft', '-A', 'FORWARD', '-j', 'BLOCK']);
    await sh(['iptables-nft', '-A', 'BLOCK', '-d', '203.0.113.2', '-p', 'tcp', '--dport', '80', '-j', 'DROP']);
    const r = await probe(toOutside({ proto: 'tcp', port: 80 }));
    expect(r.reached).toBe(false);
    expect(r.decidedBy).toMatchObject({ kind: 'rule', table: 'filter', chain: 'BLOCK', spec: '-d 203.0.113.2/32 -p tcp -m tcp --dport 80 -j DROP', backend: 'nft-compat', family: 'ip', handle: expect.any(Number) });
    const listed = await nftIn('host', ['-a', 'list', 'chain', 'ip', 'filter', 'BLOCK']);
    expect(listed).toContain(`# handle ${(r.decidedBy as { handle: number }).handle}`);
    await expectNothingLeft();
  });

  it('a connection that passes: the accepting rule of each base chain per hook, both ways, and the MASQUERADE', async () => {
    servers.push(httpd('outside', 'outside', 80));
    expect(await ready(async () => ((await sh(['ip', 'netns', 'exec', 'outside', 'ss', '-Htln'])).includes(':80 ') ? 'up' : ''))).toBe('up');
    await sh(['iptables-nft', '-A', 'FORWARD', '-p', 'tcp', '--dport', '80', '-j', 'ACCEPT']);
    await sh(['nft', '-f', '-'], 'table inet f {\n chain fw { type filter hook forward priority 10; policy drop; ct state established,related accept; tcp dport 80 accept; }\n}\n');
    const r = await probe(toOutside({ proto: 'tcp', port: 80 }));
    expect(r.reached, r.detail).toBe(true);
    expect(r.decidedBy).toBeNull();
    const host = await hostId();
    const said = (r.trace ?? []).filter((e) => e.ns === host).map((e) => `${e.direction} ${e.hook} ${e.verdict}: ${e.text}`);
    expect(said).toContain('request forward pass: FORWARD (iptables-nft): accepted by -A FORWARD -p tcp -m tcp --dport 80 -j ACCEPT');
    expect(said).toContain('request forward pass: nft inet f fw: accepted by "tcp dport 80 accept"');
    expect(said).toContain('request postrouting pass: nat POSTROUTING (iptables-nft): let through (translated) by -A POSTROUTING -s 10.0.0.0/24 -o uplink -j MASQUERADE');
    expect(said).toContain('response forward pass: nft inet f fw: accepted by "ct state established,related accept"');
    expect(said).toContain('response forward pass: FORWARD (iptables-nft): accepted by the FORWARD policy ACCEPT');
    expect(r.trace!.every((e) => e.verdict === 'pass')).toBe(true);
    await expectNothingLeft();
  });

  it('legacy iptables is not traced: the probe fails, nothing traced dropped it, and the notes say so', async () => {
    await sh(['iptables-legacy', '-A', 'FORWARD', '-p', 'icmp', '-j', 'DROP']);
    const r = await probe(toOutside());
    expect(r.reached).toBe(false);
    expect(r.decidedBy).toBeNull();
    expect(r.traceNotes?.some((n) => n.startsWith('legacy iptables is not traced: netloom cannot confirm') && n.includes('filter FORWARD'))).toBe(true);
    expect(r.traceNotes).toContain('no packet of the probe was seen in outside');
    await expectNothingLeft();
  });
});

describe('netloom explain SRC DST --probe --trace', () => {
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    try {
      return { code: 0, out: await sh(['bin/netloom', ...args]) };
    } catch (e) {
      const err = e as { code?: number; stdout?: string };
      return { code: err.code ?? -1, out: err.stdout ?? '' };
    }
  };

  it('prints the traced deciding rule per hook, and the --json answer carries them', async () => {
    await nftIn('host', ['add', 'table', 'inet', 'f']);
    await nftIn('host', ['add', 'chain', 'inet', 'f', 'fw', '{ type filter hook forward priority 0; policy drop; }']);
    const text = await cli('explain', 'ns1', 'outside', '--probe', '--trace');
    expect(text.code).toBe(3);
    expect(text.out).toContain('probe: NOT REACHED');
    expect(text.out).toContain('decided for real by: nft inet f fw policy drop (the host)');
    expect(text.out).toMatch(/traced by nftables in ns1, the host, outside \(\+\d+ ms\):/);
    expect(text.out).toMatch(/the host +forward +request +XX nft inet f fw: dropped by its policy drop \(3 packets\)/);
    await expectNothingLeft();
    const json = await cli('explain', 'ns1', 'outside', '--trace', '--json');
    const j = JSON.parse(json.out) as { probe: ProbeResult };
    expect(j.probe.decidedBy).toMatchObject({ kind: 'policy', table: 'f', chain: 'fw', backend: 'nftables' });
    await expectNothingLeft();
  });
});

describe('explain.probe with trace leaves nothing behind', () => {
  it('a table of that name that is not the probe\'s: refused (conflict), and left as it was', async () => {
    await nftIn('ns1', ['add', 'table', 'inet', 'netloom-trace']);
    await expect(probe(toOutside())).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already exists in ns1') });
    expect(await nftIn('ns1', ['list', 'tables'])).toContain('table inet netloom-trace');
    await nftIn('ns1', ['delete', 'table', 'inet', 'netloom-trace']);
    await expectNothingLeft();
  });

  it('cancelled mid-probe: tables and monitors go', async () => {
    await nftIn('host', ['add', 'table', 'inet', 'f']);
    await nftIn('host', ['add', 'chain', 'inet', 'f', 'fw', '{ type filter hook forward priority 0; policy drop; }']);
    const abort = new AbortController();
    const running = probe(toOutside(), abort.signal);
    await untilTracing('host');
    abort.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    await expectNothingLeft();
  });

  for (const how of ['killed (SIGKILL)', 'left by its client (stdin closed)'] as const) {
    it(`the helper ${how} mid-probe: the kernel takes the tables, the monitors die with it`, async () => {
      const own = await startHelper({});
      await nftIn('host', ['add', 'table', 'inet', 'f']);
      await nftIn('host', ['add', 'chain', 'inet', 'f', 'fw', '{ type filter hook forward priority 0; policy drop; }']);
      const running = own.client.call('explain.probe', { ...toOutside(), trace: true }).catch((e: unknown) => e);
      await untilTracing('host');
      if (how === 'killed (SIGKILL)') own.helper.kill('SIGKILL');
      else own.helper.stdin.end();
      await running;
      await expectNothingLeft();
    });
  }
});
