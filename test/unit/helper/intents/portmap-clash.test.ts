import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../protocol/src/index.js';
import { parseIntents } from '../../../../protocol/src/index.js';
import { compile } from '../../../../helper/intents/compile.js';
import { contextFixture } from './context-fixture.js';

function plan(intents: unknown[], ctx = contextFixture()): Plan {
  return compile(parseIntents(intents), ctx, { newId: () => 'feed0001' });
}

describe('port mapping clashes', () => {
  const withDocker = () => {
    const ctx = contextFixture();
    const ipt = ctx.namespaces[0]!.iptables!;
    ipt.chains.nat!.push('DOCKER');
    ipt.rules.push({ table: 'nat', chain: 'DOCKER', spec: '! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80' });
    ipt.rules.push({ table: 'nat', chain: 'DOCKER', spec: '-d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 9090 -j DNAT --to-destination 172.17.0.3:80' });
    return ctx;
  };
  const map = (over: Record<string, unknown>) => ({ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, ...over });

  it("a host port Docker already maps is a conflict naming Docker's rule", () => {
    expect(() => plan([map({})], withDocker())).toThrow(expect.objectContaining({ code: 'conflict', path: 'intents.0.hostPort', message: expect.stringContaining('by Docker') }));
  });

  it('the same port on udp, or one bound to another address, is fine', () => {
    expect(plan([map({ proto: 'udp' })], withDocker()).ids).toHaveLength(1);
    expect(plan([map({ hostPort: 9090, hostIp: '192.0.2.1' })], withDocker()).ids).toHaveLength(1);
    expect(() => plan([map({ hostPort: 9090 })], withDocker())).toThrow(expect.objectContaining({ code: 'conflict' }));
  });

  it('two mappings of one port in the same plan clash too', () => {
    expect(() => plan([map({}), map({ targetIp: '10.0.0.3' })])).toThrow(expect.objectContaining({ code: 'conflict', path: 'intents.1.hostPort', message: expect.stringContaining('by netloom') }));
  });
});
