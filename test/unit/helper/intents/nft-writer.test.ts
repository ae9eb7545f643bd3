import { describe, expect, it } from 'vitest';
import { parseIntents } from '../../../../protocol/src/index.js';
import { compile } from '../../../../helper/intents/compile.js';
import { parseOwnTable, renderOwnTable, restoreOwnTable } from '../../../../helper/intents/nft-own.js';
import { chooseWriter } from '../../../../helper/firewall/writer-choice.js';
import { firewallLists } from '../../../../helper/firewall/assemble.js';
import { contextFixture } from './context-fixture.js';
import { stepProblem } from '../../../../helper/intents/plan-shape.js';

// Recorded in the sandbox: `nft -s list table inet netloom` after netloom wrote one port mapping.
const LISTED = `table inet netloom {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local meta l4proto tcp th dport 8080 dnat ip to 10.0.0.2:80 comment "netloom:beef0001"
	}

	chain forward {
		type filter hook forward priority filter; policy accept;
		ip daddr 10.0.0.2 meta l4proto tcp th dport 80 accept comment "netloom:beef0001"
	}
}
`;

function nftContext(before: string | null) {
  const ctx = contextFixture();
  ctx.namespaces[0]!.firewall = { writer: 'nftables', nft: parseOwnTable(before), lists: null };
  return ctx;
}

describe("netloom's own nftables table", () => {
  it('reads the rules nft listed, with their ids, and writes the table back whole', () => {
    const own = parseOwnTable(LISTED);
    expect(own.rules.map((r) => [r.chain, r.id])).toEqual([
      ['prerouting', 'beef0001'],
      ['forward', 'beef0001'],
    ]);
    const text = renderOwnTable(own.rules);
    expect(text.startsWith('table inet netloom {}\ndelete table inet netloom\ntable inet netloom {\n\tchain prerouting {')).toBe(true);
    expect(renderOwnTable([])).toBe('table inet netloom {}\ndelete table inet netloom\n');
    expect(restoreOwnTable(LISTED)).toBe(`table inet netloom {}\ndelete table inet netloom\n${LISTED}`);
  });

  it('compiles a mapping to one nft step whose undo is the table as it was; a removal drops exactly its rules', () => {
    const map = { op: 'portmap.add', proto: 'udp', hostPort: 5353, targetIp: '10.0.0.3', targetPort: 53 };
    const plan = compile(parseIntents([map]), nftContext(LISTED), { newId: () => 'cafe0002' });
    const step = plan.steps.find((s) => s.kind === 'nftables')!;
    expect(step.run.argv).toEqual(['nft', '-f', '-']);
    expect(step.run.input).toContain('comment "netloom:beef0001"'); // what was there stays
    expect(step.run.input).toContain('fib daddr type local meta l4proto udp th dport 5353 dnat ip to 10.0.0.3:53 comment "netloom:cafe0002"');
    expect(step.undo?.input).toBe(restoreOwnTable(LISTED));
    const removed = compile(parseIntents([{ op: 'rule.remove', id: 'beef0001' }]), nftContext(LISTED));
    expect(removed.steps).toHaveLength(1);
    expect(removed.steps[0]!.run.input).toBe('table inet netloom {}\ndelete table inet netloom\n');
    expect(removed.steps[0]!.undo?.input).toBe(restoreOwnTable(LISTED));
  });

  it('the journal takes the nft step as a form the compiler writes, and refuses anything more in it', () => {
    const map = { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 };
    const step = compile(parseIntents([map]), nftContext(LISTED)).steps.find((s) => s.kind === 'nftables')!;
    expect(stepProblem(step)).toBeNull();
    const forged = (input: string) => stepProblem({ ...step, run: { ...step.run, input } });
    expect(forged(`${step.run.input}flush ruleset\n`)).not.toBeNull();
    expect(forged(`${step.run.input}include "/etc/nftables.conf"\n`)).not.toBeNull();
    expect(forged(step.run.input!.replace('accept comment "netloom:', 'accept; } } delete table ip filter; table inet netloom { chain x { comment "netloom:'))).not.toBeNull();
    expect(forged('flush ruleset\n')).not.toBeNull();
  });

  it('a second mapping of the same port within the plan is a conflict there too', () => {
    const map = { op: 'portmap.add', proto: 'tcp', hostPort: 9000, targetIp: '10.0.0.2', targetPort: 80 };
    expect(() => compile(parseIntents([map, { ...map, targetIp: '10.0.0.3' }]), nftContext(null))).toThrow(expect.objectContaining({ code: 'conflict', path: 'intents.1.hostPort' }));
  });
});

describe('where netloom writes', () => {
  const NS = 'ns:1';
  const lists = (save: string | null, json: object | null) => firewallLists({ saves: save ? [{ backend: 'nft-compat', family: 'ip', text: save }] : [], nftJson: json ? JSON.stringify(json) : null, unread: [] }, NS);
  const nativeOnly = { nftables: [{ table: { family: 'inet', name: 'filter', handle: 1 } }, { chain: { family: 'inet', table: 'filter', name: 'forward', handle: 1, type: 'filter', hook: 'forward', prio: 0, policy: 'drop' } }] };

  it('its own nftables table on an nftables-only host; iptables where iptables has rules or netloom wrote before', () => {
    expect(chooseWriter(lists(null, nativeOnly), '')).toBe('nftables');
    expect(chooseWriter(lists('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -j ACCEPT\nCOMMIT\n', nativeOnly), '')).toBe('iptables');
    expect(chooseWriter(lists('*nat\n:NETLOOM-PREROUTING - [0:0]\nCOMMIT\n', nativeOnly), '')).toBe('iptables');
    expect(chooseWriter(lists(null, null), '')).toBe('iptables');
    expect(chooseWriter({ ...lists(null, null), iptablesAvailable: false }, '')).toBe('nftables');
    expect(chooseWriter(lists(null, nativeOnly), 'iptables')).toBe('iptables');
  });
});
