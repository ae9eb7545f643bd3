import { describe, expect, it } from 'vitest';
import { seenPackets } from '../../../../../helper/explain/probe/trace/trace-seen.js';
import { fixtureSnapshot, nsTraces, scopeOf } from './fixture.js';

/** How many of a probe's packets each namespace saw, from the recorded traces (test/fixtures/nft-trace). */
describe('packets seen per namespace', () => {
  it('a forward policy drop at r: 2 pings seen in a and r, none in b, no reply anywhere', () => {
    const seen = seenPackets(scopeOf('icmp', [{ src: '10.0.1.2', dst: '10.0.2.2', port: null }]), nsTraces('nft-policy-drop', fixtureSnapshot('nft-policy-drop')));
    expect(seen).toEqual([
      { ns: 'ns:a', request: 2, response: 0 },
      { ns: 'ns:r', request: 2, response: 0 },
      { ns: 'ns:b', request: 0, response: 0 },
    ]);
  });

  it('a TCP connect that passes: every namespace saw the request and the reply', () => {
    const seen = seenPackets(scopeOf('tcp', [{ src: '10.0.1.2', dst: '10.0.2.2', port: 80 }]), nsTraces('pass-tcp', fixtureSnapshot('pass-tcp')));
    for (const s of seen) {
      expect(s.request).toBeGreaterThan(0);
      expect(s.response).toBeGreaterThan(0);
    }
  });
});
