import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseIntents } from '../../protocol/src/intents.js';
import { exportScript } from '../../protocol/src/export-script.js';
import { systemExec } from '../../helper/exec.js';
import { takeSnapshot } from '../../helper/discover/topology-cache.js';
import { compile } from '../../helper/intents/compile.js';
import { readPlanContext } from '../../helper/intents/read-context.js';
import { applyIntents } from '../../helper/intents/run-intents.js';
import { Journal } from '../../helper/intents/journal.js';
import { undoLast } from '../../helper/intents/undo.js';
import { lab, resetSandbox, sh } from '../sandbox.js';
import type { Server } from './control-lab.js';
import { HOST_UPLINK, LAB, curl, httpd, ready } from './control-lab.js';

// Issue 12 item 6: on a host whose firewall is native nftables (Debian's /etc/nftables.conf, no
// iptables rules), netloom writes its rules into its own `inet netloom` table — one atomic nft
// transaction, journaled, undone exactly — and warns when another table would drop what it accepts.

const journal = new Journal(mkdtempSync(join(tmpdir(), 'netloom-state-')));
const servers: Server[] = [];
const MAP = { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 } as const;

/** An nftables-only host: the uplink world of the control tests, but Debian's nftables.conf instead of Docker's iptables. */
async function nftablesHost(forwardPolicy: 'accept' | 'drop'): Promise<void> {
  await lab(`
    ip netns add outside
    ip link add eth0 type veth peer name eth0 netns outside
    ip addr add 192.0.2.1/24 dev eth0
    ip link set eth0 up
    ip -n outside addr add 192.0.2.2/24 dev eth0
    ip -n outside link set eth0 up
    ip -n outside link set lo up
    nft add table inet filter
  `);
  await sh(['nft', 'add', 'chain', 'inet', 'filter', 'input', '{ type filter hook input priority filter; policy accept; }']);
  await sh(['nft', 'add', 'chain', 'inet', 'filter', 'forward', `{ type filter hook forward priority filter; policy ${forwardPolicy}; }`]);
  await sh(['nft', 'add', 'chain', 'inet', 'filter', 'output', '{ type filter hook output priority filter; policy accept; }']);
  await ready(async () => ((await sh(['ip', '-n', 'outside', 'link', 'show', 'eth0'])).includes('NO-CARRIER') ? '' : 'up'));
}

const nftRuleset = async (): Promise<string> => (await sh(['nft', '-s', 'list', 'ruleset'])).trim();

beforeAll(async () => {
  await resetSandbox();
});

beforeEach(async () => {
  for (const s of servers.splice(0)) s.stop();
  await resetSandbox();
});

afterAll(async () => {
  for (const s of servers.splice(0)) s.stop();
  await resetSandbox();
});

describe('control on an nftables host', () => {
  it('plans a port mapping as one nft transaction on netloom’s own table; it works, shows as netloom’s, and undo restores the ruleset exactly', async () => {
    await nftablesHost('accept');
    await applyIntents(systemExec, LAB, { journal });
    servers.push(httpd('ns1', 'ns1', 80));
    const before = await nftRuleset();
    const plan = compile(parseIntents([MAP]), await readPlanContext(systemExec, parseIntents([MAP])), { newId: () => 'beef0001' });
    const nft = plan.steps.filter((s) => s.kind === 'nftables');
    expect(nft).toHaveLength(1);
    expect(plan.steps.some((s) => s.kind === 'iptables')).toBe(false);
    expect(nft[0]!.run.argv).toEqual(['nft', '-f', '-']);
    expect(nft[0]!.run.input).toContain('table inet netloom {');
    expect(nft[0]!.run.input).toContain('dnat ip to 10.0.0.2:80 comment "netloom:beef0001"');
    expect(nft[0]!.run.command).toMatch(/^nft -f - <<'EOF'\n/);

    await applyIntents(systemExec, [MAP], { journal });
    expect(await ready(() => curl('outside', `http://${HOST_UPLINK}:8080/`))).toBe('hello from ns1');
    expect(await curl(null, `http://${HOST_UPLINK}:8080/`)).toBe('hello from ns1');
    // 127.0.0.1 too (issue 15): route_localnet on the target's device only, guarded in netloom's table.
    expect(await curl(null, 'http://127.0.0.1:8080/')).toBe('hello from ns1');
    expect(await nftRuleset()).toContain('ip daddr 127.0.0.0/8 ct state invalid,new,untracked drop comment "netloom:');
    expect(await sh(['iptables-save'])).not.toContain('NETLOOM');
    const snap = await takeSnapshot(systemExec);
    expect(snap.firewallTables).toContainEqual(expect.objectContaining({ backend: 'nftables', family: 'inet', name: 'netloom', owner: 'netloom' }));
    const mine = snap.portMappings.filter((m) => m.owner === 'netloom');
    expect(mine).toEqual([expect.objectContaining({ proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, backend: 'nftables', table: 'inet netloom', localAccess: true })]);
    expect(mine[0]!.netloomId).toMatch(/^[0-9a-f]{8}$/);
    // Export as a shell script: the table is written whole by nft, and nft accepts what it says.
    const script = exportScript(snap);
    const block = /nft -f - <<'NETLOOM_RULES'\n([\s\S]*?)\nNETLOOM_RULES/.exec(script)?.[1];
    expect(block).toContain('dnat ip to 10.0.0.2:80');
    await sh(['nft', '-c', '-f', '-'], block + '\n');

    // rule.remove by the snapshot's id, then undo both: the ruleset is what it was, byte for byte.
    await applyIntents(systemExec, [{ op: 'rule.remove', id: mine[0]!.netloomId! }], { journal });
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('');
    await undoLast(systemExec, journal);
    expect(await ready(() => curl('outside', `http://${HOST_UPLINK}:8080/`))).toBe('hello from ns1');
    await undoLast(systemExec, journal);
    expect(await nftRuleset()).toBe(before);
  });

  it('warns before applying when another table at the forward hook drops what the mapping needs', async () => {
    await nftablesHost('drop');
    await applyIntents(systemExec, LAB, { journal });
    const plan = compile(parseIntents([MAP]), await readPlanContext(systemExec, parseIntents([MAP])));
    const warning = plan.notes.find((n) => n.startsWith('warning:'));
    expect(warning).toContain('inet filter');
    expect(warning).toContain('policy drop');
    servers.push(httpd('ns1', 'ns1', 80));
    await applyIntents(systemExec, [MAP], { journal });
    // The warning was right: from another host the mapping does not answer.
    expect(await curl('outside', `http://${HOST_UPLINK}:8080/`)).toBe('');
  });

  it('a range maps port by port; more than nft can take one by one is refused naming the field', async () => {
    await nftablesHost('accept');
    await applyIntents(systemExec, LAB, { journal });
    const range = { ...MAP, hostPort: 9000, hostPortEnd: 9001, targetPort: 7000 };
    const plan = compile(parseIntents([range]), await readPlanContext(systemExec, parseIntents([range])));
    const input = plan.steps.find((s) => s.kind === 'nftables')!.run.input!;
    expect(input).toContain('th dport 9000 dnat ip to 10.0.0.2:7000');
    expect(input).toContain('th dport 9001 dnat ip to 10.0.0.2:7001');
    const huge = { ...MAP, hostPort: 10000, hostPortEnd: 10500 };
    await expect(readPlanContext(systemExec, parseIntents([huge])).then((ctx) => compile(parseIntents([huge]), ctx))).rejects.toMatchObject({ code: 'invalid', path: 'intents.0.hostPortEnd' });
  });
});
