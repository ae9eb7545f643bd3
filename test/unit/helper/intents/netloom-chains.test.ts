import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureJumps, iptablesStateOf, missingJumps } from '../../../../helper/intents/netloom-chains.js';
import { recordingExec } from './fake-exec.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/intents/${name}`, import.meta.url), 'utf8');
const host = { id: 'ns:1', path: '/proc/self/ns/net', name: null, own: true };

describe('netloom chains', () => {
  it('reads chains and rules from real iptables-save output', () => {
    const s = iptablesStateOf(fixture('iptables-save-lab.txt'));
    expect(s.chains.nat).toContain('NETLOOM-PREROUTING');
    expect(s.rules).toContainEqual({ table: 'nat', chain: 'PREROUTING', spec: '-m comment --comment netloom -j NETLOOM-PREROUTING' });
    expect(missingJumps(s)).toEqual([]);
  });

  it('after a flush of the built-in chains (Docker restart), the jumps to the chains still there are re-inserted', () => {
    const s = iptablesStateOf(fixture('iptables-save-jumps-flushed.txt'));
    expect(missingJumps(s)).toEqual([
      {
        table: 'filter',
        chains: ['NETLOOM-FORWARD'],
        input: '*filter\n-I FORWARD 1 -m comment --comment netloom -j NETLOOM-FORWARD\nCOMMIT\n',
      },
      {
        table: 'nat',
        chains: ['NETLOOM-PREROUTING', 'NETLOOM-OUTPUT', 'NETLOOM-POSTROUTING'],
        input:
          '*nat\n-I PREROUTING 1 -m comment --comment netloom -j NETLOOM-PREROUTING\n-I OUTPUT 1 -m comment --comment netloom -j NETLOOM-OUTPUT\n-I POSTROUTING 1 -m comment --comment netloom -j NETLOOM-POSTROUTING\nCOMMIT\n',
      },
    ].sort((a, b) => (a.table === 'nat' ? -1 : 1) - (b.table === 'nat' ? -1 : 1)));
  });

  it('ensureJumps runs one iptables-restore per table that needs it, and nothing when all is well', async () => {
    const broken = recordingExec({ reply: (c) => (c.argv[0] === 'iptables-save' ? fixture('iptables-save-jumps-flushed.txt') : '') });
    expect((await ensureJumps(broken.exec, host)).sort()).toEqual(['NETLOOM-FORWARD', 'NETLOOM-OUTPUT', 'NETLOOM-POSTROUTING', 'NETLOOM-PREROUTING']);
    expect(broken.calls.map((c) => c.argv.join(' '))).toEqual(['iptables-save', 'iptables-restore -w 5 --noflush', 'iptables-restore -w 5 --noflush']);
    const fine = recordingExec({ reply: () => fixture('iptables-save-lab.txt') });
    expect(await ensureJumps(fine.exec, { ...host, own: false, name: 'red', path: '/run/netns/red' })).toEqual([]);
    expect(fine.calls).toEqual([{ argv: ['nsenter', '--net=/run/netns/red', '--', 'iptables-save'] }]);
  });

  it('no netloom chains → nothing to repair (netloom never creates chains just to link them)', () => {
    expect(missingJumps(iptablesStateOf('*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\nCOMMIT\n'))).toEqual([]);
  });
});
