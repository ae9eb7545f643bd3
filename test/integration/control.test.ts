import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemExec } from '../../helper/exec.js';
import { applyIntents } from '../../helper/intents/run-intents.js';
import { Journal } from '../../helper/intents/journal.js';
import { ensureJumps } from '../../helper/intents/netloom-chains.js';
import { undoLast } from '../../helper/intents/undo.js';
import { assertInSandbox, lab, resetSandbox, sh } from '../sandbox.js';
import type { Server } from './control-lab.js';
import { HOST_UPLINK, LAB, OUTSIDE, TCP_MAP, buildWorld, curl, hostHttpd, httpd, othersRules, ready, systemState, udpAsk, udpEcho } from './control-lab.js';

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

  it('…and at 127.0.0.1 (issue 15): route_localnet on testbridge only, ns1 sees the host\'s address', async () => {
    expect(await curl(null, 'http://127.0.0.1:8080/')).toBe('hello from ns1');
    expect(await curl(null, 'http://127.0.0.1:8080/cgi-bin/ip')).toBe('10.0.0.1');
    expect((await sh(['sysctl', '-n', 'net.ipv4.conf.testbridge.route_localnet', 'net.ipv4.conf.all.route_localnet', 'net.ipv4.conf.eth0.route_localnet', 'net.ipv4.conf.lo.route_localnet'])).split('\n').slice(0, 4)).toEqual(['1', '0', '0', '0']);
  });

  it('the guard: a namespace on testbridge cannot reach the host\'s 127.0.0.1-only services (it could without it)', async () => {
    const secret = hostHttpd('127.0.0.1:9999', 'the host loopback');
    servers.push(secret);
    // ns2 plays a hostile container: it routes 127.0.0.1 to the host and accepts 127/8 replies.
    await lab(`
      ip -n ns2 rule add pref 100 lookup local
      ip -n ns2 rule del pref 0 lookup local
      ip -n ns2 rule add pref 10 to 127.0.0.1 lookup 100
      ip -n ns2 route add 127.0.0.1/32 via 10.0.0.1 dev veth2 table 100
      ip netns exec ns2 sysctl -qw net.ipv4.conf.veth2.route_localnet=1
    `);
    expect(await ready(() => curl(null, 'http://127.0.0.1:9999/'))).toBe('hello from the host loopback');
    expect(await curl('ns2', 'http://127.0.0.1:9999/')).toBe('');
    const guard = (await sh(['iptables-save', '-t', 'filter'])).split('\n').find((l) => l.startsWith('-A NETLOOM-INPUT ') && l.includes(`netloom:${tcpId}`));
    expect(guard).toBe(`-A NETLOOM-INPUT -d 127.0.0.0/8 -i testbridge -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:${tcpId}" -j DROP`);
    // Without the guard, route_localnet alone would let ns2 in (CVE-2020-8558): shown, then put back.
    await sh(['iptables', '-D', 'NETLOOM-INPUT', '1']);
    expect(await curl('ns2', 'http://127.0.0.1:9999/')).toBe('hello from the host loopback');
    await sh(['iptables-restore', '--noflush'], `*filter\n${guard!.replace('-A NETLOOM-INPUT', '-I NETLOOM-INPUT 1')}\nCOMMIT\n`);
    expect(await curl('ns2', 'http://127.0.0.1:9999/')).toBe('');
    servers.splice(servers.indexOf(secret), 1)[0]?.stop();
    await lab(`
      ip netns exec ns2 sysctl -qw net.ipv4.conf.veth2.route_localnet=0
      ip -n ns2 rule del pref 10
      ip -n ns2 rule add pref 0 lookup local
      ip -n ns2 rule del pref 100
    `);
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

  it('127.0.0.1 as host address works (route_localnet already on for testbridge: its own guard, no sysctl) and says so', async () => {
    const r = await applyIntents(systemExec, [{ op: 'portmap.add', proto: 'tcp', hostPort: 8081, hostIp: '127.0.0.1', targetIp: '10.0.0.2', targetPort: 80 }], { journal });
    expect(r.notes.join(' ')).toContain('127.0.0.1:8081 answers too: sets net.ipv4.conf.testbridge.route_localnet=1 (already on for an earlier netloom mapping)');
    expect((await sh(['sysctl', '-n', 'net.ipv4.conf.all.route_localnet'])).trim()).toBe('0');
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
    expect(await tagged()).toHaveLength(7); // DNAT ×2, hairpin and loopback MASQUERADE, FORWARD ×2, the 127/8 guard
    const others = (await sh(['iptables-save'])).split('\n').filter((l) => l.startsWith('-A') && !l.includes(`netloom:${tcpId}`));
    await applyIntents(systemExec, [{ op: 'rule.remove', id: tcpId }], { journal });
    expect(await tagged()).toEqual([]);
    expect((await sh(['iptables-save'])).split('\n').filter((l) => l.startsWith('-A'))).toEqual(others);
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('');
    await undoLast(systemExec, journal);
    expect(await tagged()).toHaveLength(7); // DNAT ×2, hairpin and loopback MASQUERADE, FORWARD ×2, the 127/8 guard
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('hello from ns1');
  });

  it('Docker-style and user rules were never edited, reordered or flushed', async () => {
    expect(await othersRules()).toBe(othersBefore);
  });

  it('undo takes back the last plan: the 127.0.0.1 mapping (route_localnet stays on for the tcp one)', async () => {
    await undoLast(systemExec, journal);
    expect((await sh(['sysctl', '-n', 'net.ipv4.conf.testbridge.route_localnet'])).trim()).toBe('1');
    expect(await curl(null, 'http://127.0.0.1:8081/')).toBe('');
  });

  it('undo again removes the udp mapping, then the tcp one: curl through it fails', async () => {
    await undoLast(systemExec, new Journal(journal.dir)); // a new Journal: as after a helper restart
    expect(await udpAsk('outside', HOST_UPLINK, 5353)).toBe('');
    await undoLast(systemExec, journal);
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('');
    expect(await curl(null, `http://${HOST_UPLINK}:8080/`)).toBe('');
    expect(await curl(null, 'http://127.0.0.1:8080/')).toBe('');
    expect((await sh(['sysctl', '-n', 'net.ipv4.conf.testbridge.route_localnet'])).trim()).toBe('0');
    expect(await curl('ns2', 'http://10.0.0.2/')).toBe('hello from ns1'); // the lab itself is still there
  });

  it('undoing the lab leaves ip -json of every namespace and iptables-save exactly as before', async () => {
    for (const s of servers.splice(0)) s.stop();
    await undoLast(systemExec, journal);
    expect(await systemState()).toEqual(before);
    expect(await journal.history()).toEqual([]);
  });
});
