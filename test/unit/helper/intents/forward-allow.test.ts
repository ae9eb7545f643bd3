import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../protocol/src/index.js';
import { parseIntents } from '../../../../protocol/src/index.js';
import { compile } from '../../../../helper/intents/compile.js';
import { iptablesStateOf } from '../../../../helper/intents/netloom-chains.js';
import { contextFixture } from './context-fixture.js';

function plan(intents: unknown[], ctx = contextFixture()): Plan {
  let n = 0;
  return compile(parseIntents(intents), ctx, { newId: () => `feed${String(++n).padStart(4, '0')}` });
}

describe('forward.allow', () => {
  it('creates NETLOOM-FORWARD, jumps to it from the top of FORWARD, adds the tagged pair; the undo removes all of it, last rule first', () => {
    const p = plan([{ op: 'forward.allow', source: '10.0.0.0/24' }]);
    expect(p.ids).toEqual([{ id: 'feed0001', op: 'forward.allow', intent: 0 }]);
    expect(p.steps).toHaveLength(1);
    const step = p.steps[0]!;
    expect(step.run.argv).toEqual(['iptables-restore', '-w', '5', '--noflush']);
    expect(step.run.input).toBe(
      [
        '*filter',
        ':NETLOOM-FORWARD - [0:0]',
        '-I FORWARD 1 -m comment --comment netloom -j NETLOOM-FORWARD',
        '-A NETLOOM-FORWARD -s 10.0.0.0/24 -m comment --comment "netloom:feed0001" -j ACCEPT',
        '-A NETLOOM-FORWARD -d 10.0.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:feed0001" -j ACCEPT',
        'COMMIT',
        '',
      ].join('\n'),
    );
    expect(step.undo?.input).toBe(
      [
        '*filter',
        '-D NETLOOM-FORWARD -d 10.0.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:feed0001" -j ACCEPT',
        '-D NETLOOM-FORWARD -s 10.0.0.0/24 -m comment --comment "netloom:feed0001" -j ACCEPT',
        '-D FORWARD -m comment --comment netloom -j NETLOOM-FORWARD',
        '-X NETLOOM-FORWARD',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('with a destination: both directions name both ends; in a named namespace it enters with nsenter', () => {
    const p = plan([{ op: 'forward.allow', source: '10.0.0.0/24', destination: '203.0.113.0/24', ns: 'red' }]);
    const input = p.steps[0]!.run.input!;
    expect(p.steps[0]!.run.argv).toEqual(['nsenter', '--net=/run/netns/red', '--', 'iptables-restore', '-w', '5', '--noflush']);
    expect(input).toContain('-A NETLOOM-FORWARD -s 10.0.0.0/24 -d 203.0.113.0/24 -m comment --comment "netloom:feed0001" -j ACCEPT');
    expect(input).toContain('-A NETLOOM-FORWARD -s 203.0.113.0/24 -d 10.0.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:feed0001" -j ACCEPT');
  });

  it('rule.remove of its id deletes exactly its two rules', () => {
    const ctx = contextFixture();
    const host = ctx.namespaces[0]!;
    const added = plan([{ op: 'forward.allow', source: '10.0.0.0/24' }]);
    // What iptables-save prints after the apply: the chain, the jump, the pair.
    host.iptables = iptablesStateOf(
      ['*filter', ':FORWARD ACCEPT [0:0]', ':NETLOOM-FORWARD - [0:0]', ...added.steps[0]!.run.input!.split('\n').filter((l) => l.startsWith('-')).map((l) => l.replace(/^-I FORWARD 1/, '-A FORWARD')), 'COMMIT'].join('\n'),
    );
    const removed = plan([{ op: 'rule.remove', id: 'feed0001' }], ctx);
    expect(removed.steps[0]!.run.input!.split('\n').filter((l) => l.startsWith('-D'))).toHaveLength(2);
  });

  it('refuses a source that is not an IPv4 CIDR, naming the field', () => {
    expect(() => plan([{ op: 'forward.allow', source: '10.0.0.0/33' }])).toThrow(expect.objectContaining({ code: 'invalid', path: 'intents.0.source' }));
  });
});
