import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Chain, Rule } from '../../../../protocol/src/index.js';
import { parseIptablesSave } from '../../../../helper/firewall/iptables-save.js';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'iptables', `${name}.txt`), 'utf8');
const NS = 'ns:4026531840';

describe('parseIptablesSave', () => {
  it('reads the lab: tables, chains with policies, rules with counters and targets', () => {
    const { rules, chains } = parseIptablesSave(fixture('lab'), NS);
    expect(rules).toEqual([
      { ns: NS, table: 'nat', chain: 'PREROUTING', spec: '-p tcp -m tcp --dport 90 -j DNAT --to-destination 170.19.0.2:80', owner: 'user', packets: 2, bytes: 120, target: 'DNAT' },
      { ns: NS, table: 'nat', chain: 'POSTROUTING', spec: '-s 170.19.0.0/24 -o eth0 -j MASQUERADE', owner: 'user', packets: 0, bytes: 0, target: 'MASQUERADE' },
    ]);
    expect(chains.map((c) => [c.table, c.chain, c.policy])).toEqual([
      ['nat', 'PREROUTING', 'ACCEPT'],
      ['nat', 'INPUT', 'ACCEPT'],
      ['nat', 'OUTPUT', 'ACCEPT'],
      ['nat', 'POSTROUTING', 'ACCEPT'],
    ]);
    for (const r of rules) Rule.parse(r);
    for (const c of chains) Chain.parse(c);
  });

  it('reads output without counters as zero counts and the same specs', () => {
    const plain = parseIptablesSave(fixture('lab-nocounters'), NS);
    const counted = parseIptablesSave(fixture('lab'), NS);
    expect(plain.rules.map((r) => [r.packets, r.bytes])).toEqual([[0, 0], [0, 0]]);
    expect(plain.rules.map((r) => r.spec)).toEqual(counted.rules.map((r) => r.spec));
  });

  it('keeps every rule of every table, specs exactly as iptables-save spells them', () => {
    const text = fixture('mixed');
    const { rules } = parseIptablesSave(text, NS);
    const ruleLines = text.split('\n').filter((l) => /^\[\d+:\d+\] -A /.test(l));
    expect(rules).toHaveLength(ruleLines.length);
    // Rebuilding each line from the parsed rule gives the recorded line back, byte for byte.
    expect(rules.map((r) => `[${r.packets}:${r.bytes}] -A ${r.chain} ${r.spec}`)).toEqual(ruleLines);
    expect(new Set(rules.map((r) => r.table))).toEqual(new Set(['filter', 'nat', 'mangle', 'raw']));
    const quoted = rules.find((r) => r.spec.includes('mdns'));
    expect(quoted?.spec).toBe('-d 192.168.50.1/32 -p udp -m udp --dport 5353 -m comment --comment "say \\"hi\\" to mdns" -j DNAT --to-destination 10.9.0.6');
  });

  it('reads the legacy warning as a comment, goto targets and a DROP policy', () => {
    const { rules, chains } = parseIptablesSave(fixture('mixed'), NS);
    expect(fixture('mixed')).toContain('# Warning: iptables-legacy tables present');
    expect(rules.find((r) => r.spec.startsWith('-i eth1 -g'))?.target).toBe('LABFWD');
    expect(chains.find((c) => c.table === 'filter' && c.chain === 'FORWARD')?.policy).toBe('DROP');
    expect(chains.find((c) => c.chain === 'LABFWD')).toMatchObject({ table: 'nat', policy: null, owner: 'user' });
    expect(chains.find((c) => c.chain === 'NETLOOM-OUTPUT')?.owner).toBe('netloom');
  });

  it('reads real counters on the Docker OUTPUT path', () => {
    const { rules } = parseIptablesSave(fixture('docker'), NS);
    const dnat = rules.find((r) => r.target === 'DNAT');
    expect(dnat).toMatchObject({ chain: 'DOCKER', packets: 1, bytes: 60, owner: 'docker' });
    expect(rules.find((r) => r.chain === 'OUTPUT')).toMatchObject({ packets: 1, bytes: 60, target: 'DOCKER' });
  });

  it('reads chain counters and policies from chain lines', () => {
    const { chains } = parseIptablesSave('*filter\n:INPUT DROP [12:3456]\n:MINE - [0:0]\nCOMMIT\n', NS);
    expect(chains).toEqual([
      { ns: NS, table: 'filter', chain: 'INPUT', policy: 'DROP', packets: 12, bytes: 3456, owner: 'user' },
      { ns: NS, table: 'filter', chain: 'MINE', policy: null, packets: 0, bytes: 0, owner: 'user' },
    ]);
  });

  it('never throws on odd input and keeps what it can read', () => {
    const odd = [
      '',
      'garbage',
      '*',
      ':',
      '[x:y] -A',
      '-A',
      '[1:2] -A INPUT -m comment --comment "unterminated',
      '\u0000\u0001\r',
      '*nat\r',
      '[3:4] -A OUTPUT -j ACCEPT\r',
      'COMMIT',
    ].join('\n');
    const { rules } = parseIptablesSave(odd, NS);
    expect(rules.map((r) => [r.table, r.chain, r.spec, r.packets])).toEqual([
      ['filter', 'INPUT', '-m comment --comment "unterminated', 1],
      ['nat', 'OUTPUT', '-j ACCEPT', 3],
    ]);
    for (const junk of ['', '\n\n', 'COMMIT', '*filter', String.raw`\"`, 'x'.repeat(10_000)]) {
      expect(() => parseIptablesSave(junk, NS)).not.toThrow();
    }
    expect(() => parseIptablesSave(undefined as unknown as string, NS)).not.toThrow();
  });
});
