import { describe, expect, it } from 'vitest';
import { parseExplainArgs } from '../../../../helper/commands/explain-args.js';
import { listeningFrom, parseSs } from '../../../../helper/explain/listeners.js';
import { pingDetail } from '../../../../helper/explain/probe/ping-output.js';

describe('probe and CLI parsing', () => {
  it('ping summary (iputils, LC_ALL=C)', () => {
    const out = '--- 10.0.0.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 404ms\nrtt min/avg/max/mdev = 0.031/0.046/0.061/0.012 ms\n';
    expect(pingDetail(out, '')).toEqual({ reached: true, detail: '3/3 replies, 0.046 ms average' });
    expect(pingDetail('3 packets transmitted, 0 received, 100% packet loss, time 410ms\n', '')).toEqual({ reached: false, detail: '0/3 replies' });
    expect(pingDetail('', 'ping: connect: Network is unreachable\n')).toEqual({ reached: false, detail: 'ping: connect: Network is unreachable' });
  });

  it('ss -Htuln: protocol, local port and bound address of each listening socket', () => {
    const out = 'tcp   LISTEN 0      128          0.0.0.0:80        0.0.0.0:*\nudp   UNCONN 0      0               [::]:5353         [::]:*\ntcp   LISTEN 0 4096 [::ffff:127.0.0.1]:8080 *:*\n';
    expect([...parseSs(out)]).toEqual([
      ['tcp:80', ['0.0.0.0']],
      ['udp:5353', ['::']],
      ['tcp:8080', ['::ffff:127.0.0.1']],
    ]);
  });

  it('a socket takes a packet only for an address it is bound to (recorded ss output, busybox httpd -p 10.0.0.13:80)', () => {
    // Recorded in the sandbox: `ss -Htuln` with httpd on 10.0.0.13:80, nc on *:9000, python on [::]:7000 (V6ONLY), *:7001, 10.0.0.13%lo:7002.
    const out = [
      'tcp LISTEN 0      128    10.0.0.13%lo:7002 0.0.0.0:*',
      'tcp LISTEN 0      9         10.0.0.13:80   0.0.0.0:*',
      'tcp LISTEN 0      1                 *:9000       *:*',
      'tcp LISTEN 0      128            [::]:7000    [::]:*',
      'tcp LISTEN 0      128               *:7001       *:*',
    ].join('\n');
    const l = listeningFrom(new Map([['ns:1', parseSs(out)]]));
    expect(l('ns:1', 'tcp', 80, '10.0.0.3')).toEqual({ boundTo: ['10.0.0.13'] });
    expect(l('ns:1', 'tcp', 80, '10.0.0.13')).toBe(true);
    expect(l('ns:1', 'tcp', 9000, '10.0.0.3')).toBe(true);
    expect(l('ns:1', 'tcp', 7000, '10.0.0.3')).toEqual({ boundTo: ['::'] }); // IPV6_V6ONLY takes no IPv4
    expect(l('ns:1', 'tcp', 7000, 'fd00::3')).toBe(true);
    expect(l('ns:1', 'tcp', 7001, '10.0.0.3')).toBe(true);
    expect(l('ns:1', 'tcp', 7002, '10.0.0.13')).toBe(true);
    expect(l('ns:1', 'tcp', 81, '10.0.0.3')).toBe(false);
    expect(l('ns:2', 'tcp', 80, '10.0.0.3')).toBeNull();
  });

  it('netloom explain SRC DST: namespaces, addresses, host:PORT; bad input names the field', () => {
    expect(parseExplainArgs(['ns1', '203.0.113.2']).params).toEqual({ src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '203.0.113.2' } });
    expect(parseExplainArgs(['outside', 'host:8080', '--probe']).params).toEqual({ src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' });
    expect(parseExplainArgs(['ns:4026532248', 'ns2', '--port', '80', '--json', '--fix'])).toMatchObject({ params: { proto: 'tcp', port: 80 }, json: true, fix: true });
    // --trace is a kind of probe (issue 12).
    expect(parseExplainArgs(['ns1', 'ns2', '--trace'])).toMatchObject({ probe: true, trace: true });
    expect(parseExplainArgs(['ns1', 'ns2', '--probe'])).toMatchObject({ probe: true, trace: false });
    expect(() => parseExplainArgs(['ns1', 'ns2', '--proto', 'tcp'])).toThrow(expect.objectContaining({ code: 'invalid', path: 'port' }));
    expect(() => parseExplainArgs(['ns1'])).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => parseExplainArgs(['bad/name', 'ns2'])).toThrow(expect.objectContaining({ code: 'invalid', path: 'src.ns' }));
  });
});
