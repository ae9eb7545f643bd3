import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemExec } from '../../helper/exec.js';
import { applyIntents } from '../../helper/intents/run-intents.js';
import { Journal } from '../../helper/intents/journal.js';
import { ensureJumps } from '../../helper/intents/netloom-chains.js';
import { undoLast } from '../../helper/intents/undo.js';
import { assertInSandbox, resetSandbox, sh } from '../sandbox.js';
import type { Server } from './control-lab.js';
import { HOST_UPLINK, LAB, OUTSIDE, TCP_MAP, buildWorld, curl, httpd, othersRules, ready, systemState, udpAsk, udpEcho } from './control-lab.js';

// DESIGN §5–§6 with real traffic: the lab built through intents, a port mapping reached from
// the other namespace, the host, an outside host and hairpin; MASQUERADE seen from outside;
// udp; undo takes each plan back until the system is exactly as before.

const journal = new Journal(mkdtempSync(join(tmpdir(), 'netloom-state-')));
const servers: Server[] = [];
let before: Record<string, string>;
let othersBefore: string;
const timings: Record<string, number> = {};
let tcpId = '';

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
  await buildWorld();
  before = await systemState();
  othersBefore = await othersRules();
});

afterAll(async () => {
  for (const s of servers) s.stop();
  await resetSandbox();
});

describe('control: the write-your-own-docker lab through intents', () => {
  it('applies the lab and a tcp port mapping as two plans', async () => {
    const lab = await applyIntents(systemExec, LAB, { journal });
    expect(lab.applied).toBe(true);
    expect(lab.ids).toHaveLength(1);
    servers.push(httpd('ns1', 'ns1'), httpd('outside', 'outside'));
    const t0 = performance.now();
    const map = await applyIntents(systemExec, [TCP_MAP], { journal });
    timings.portmapTotalMs = performance.now() - t0;
    timings.portmapStepsMs = map.ms;
    expect(map.ids).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{8}$/), op: 'portmap.add', intent: 0 }]);
    tcpId = map.ids[0]!.id;
    expect(await sh(['iptables-save', '-t', 'nat'])).toContain(`--comment "netloom:${map.ids[0]!.id}" -j DNAT --to-destination 10.0.0.2:80`);
    console.log(`one port mapping: ${timings.portmapStepsMs} ms of steps, ${timings.portmapTotalMs.toFixed(1)} ms with reading state and compiling`);
  });

  it('ns2 reaches the server in ns1 across the bridge', async () => {
    expect(await ready(() => curl('ns2', 'http://10.0.0.2/'))).toBe('hello from ns1');
  });

  it('the host reaches it through the host port (OUTPUT DNAT)', async () => {
    expect(await curl(null, `http://${HOST_UPLINK}:8080/`)).toBe('hello from ns1');
    expect(await curl(null, 'http://10.0.0.1:8080/')).toBe('hello from ns1');
  });

  it('an outside host reaches it through the host port (PREROUTING DNAT)', async () => {
    expect(await ready(() => curl('outside', `http://${HOST_UPLINK}:8080/`))).toBe('hello from ns1');
  });

  it('hairpin: ns1 reaches its own service through the host port, seen as coming from the host', async () => {
    expect(await curl('ns1', 'http://10.0.0.1:8080/')).toBe('hello from ns1');
    expect(await curl('ns1', 'http://10.0.0.1:8080/cgi-bin/ip')).toBe('10.0.0.1');
  });

  it('MASQUERADE: ns2 reaches the outside host, which sees the host address as the source', async () => {
    expect(await ready(() => curl('outside', 'http://127.0.0.1/cgi-bin/ip'))).toBe('127.0.0.1');
    expect(await curl('ns2', `http://${OUTSIDE}/cgi-bin/ip`)).toBe(HOST_UPLINK);
    // …while inside the subnet nothing is rewritten (`! -d 10.0.0.0/24`).
    expect(await curl('ns2', 'http://10.0.0.2/cgi-bin/ip')).toBe('10.0.0.3');
  });

  it('udp: a port mapping from outside, and MASQUERADE on the way out', async () => {
    servers.push(udpEcho('ns2', 5353), udpEcho('outside', 5300));
    await applyIntents(systemExec, [{ op: 'portmap.add', proto: 'udp', hostPort: 5353, targetIp: '10.0.0.3', targetPort: 5353 }], { journal });
    expect(await ready(() => udpAsk('outside', HOST_UPLINK, 5353), 10)).toBe(`${OUTSIDE} ping`);
    expect(await udpAsk('ns1', OUTSIDE, 5300)).toBe(`${HOST_UPLINK} ping`);
  });

  it('127.0.0.1 as host address works, sets route_localnet and says so', async () => {
    const r = await applyIntents(systemExec, [{ op: 'portmap.add', proto: 'tcp', hostPort: 8081, hostIp: '127.0.0.1', targetIp: '10.0.0.2', targetPort: 80 }], { journal });
    expect(r.notes.join(' ')).toContain('net.ipv4.conf.all.route_localnet=1');
    expect((await sh(['sysctl', '-n', 'net.ipv4.conf.all.route_localnet'])).trim()).toBe('1');
    expect(await curl(null, 'http://127.0.0.1:8081/')).toBe('hello from ns1');
    expect(await curl('outside', `http://${HOST_UPLINK}:8081/`)).toBe(''); // bound to 127.0.0.1 only
  });

  it('re-links netloom chains when someone removes the jumps (ensureJumps)', async () => {
    await sh(['iptables', '-t', 'nat', '-D', 'PREROUTING', '-m', 'comment', '--comment', 'netloom', '-j', 'NETLOOM-PREROUTING']);
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('');
    const host = { id: 'host', path: '/proc/self/ns/net', name: null, own: true };
    expect(await ensureJumps(systemExec, host)).toEqual(['NETLOOM-PREROUTING']);
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('hello from ns1');
    expect(await ensureJumps(systemExec, host)).toEqual([]);
  });

  it('rule.remove deletes exactly the rules of one mapping; undoing that plan brings them back', async () => {
    const tagged = async () => (await sh(['iptables-save'])).split('\n').filter((l) => l.includes(`netloom:${tcpId}`));
    expect(await tagged()).toHaveLength(5); // DNAT ×2, hairpin MASQUERADE, FORWARD ×2
    const others = (await sh(['iptables-save'])).split('\n').filter((l) => l.startsWith('-A') && !l.includes(`netloom:${tcpId}`));
    await applyIntents(systemExec, [{ op: 'rule.remove', id: tcpId }], { journal });
    expect(await tagged()).toEqual([]);
    expect((await sh(['iptables-save'])).split('\n').filter((l) => l.startsWith('-A'))).toEqual(others);
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('');
    await undoLast(systemExec, journal);
    expect(await tagged()).toHaveLength(5); // DNAT ×2, hairpin MASQUERADE, FORWARD ×2
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('hello from ns1');
  });

  it('Docker-style and user rules were never edited, reordered or flushed', async () => {
    expect(await othersRules()).toBe(othersBefore);
  });

  it('undo takes back the last plan: the 127.0.0.1 mapping and route_localnet', async () => {
    await undoLast(systemExec, journal);
    expect((await sh(['sysctl', '-n', 'net.ipv4.conf.all.route_localnet'])).trim()).toBe('0');
    expect(await curl(null, 'http://127.0.0.1:8081/')).toBe('');
  });

  it('undo again removes the udp mapping, then the tcp one: curl through it fails', async () => {
    await undoLast(systemExec, new Journal(journal.dir)); // a new Journal: as after a helper restart
    expect(await udpAsk('outside', HOST_UPLINK, 5353)).toBe('');
    await undoLast(systemExec, journal);
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('');
    expect(await curl(null, `http://${HOST_UPLINK}:8080/`)).toBe('');
    expect(await curl('ns2', 'http://10.0.0.2/')).toBe('hello from ns1'); // the lab itself is still there
  });

  it('undoing the lab leaves ip -json of every namespace and iptables-save exactly as before', async () => {
    for (const s of servers.splice(0)) s.stop();
    await undoLast(systemExec, journal);
    expect(await systemState()).toEqual(before);
    expect(await journal.history()).toEqual([]);
  });
});
