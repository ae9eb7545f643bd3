import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLinks } from '../../../../helper/discover/ip-link.js';
import { parseFdb } from '../../../../helper/discover/read-fdb.js';
import { tunnelFromNetlink, tunnelRole } from '../../../../helper/discover/tunnel-info.js';
import { checkArgvShape } from '../../../../helper/exec-argv.js';
import { PROGRAMS } from '../../../../helper/exec.js';

const dir = join(__dirname, '../../../fixtures/tunnels');
const links = parseLinks(JSON.parse(readFileSync(join(dir, 'ip-addr.json'), 'utf8')));
const byName = (n: string) => links.find((l) => l.name === n);

/** A netlink attribute: u16 length, u16 type, value, padded to 4. */
function nla(type: number, value: Buffer): Buffer {
  const len = 4 + value.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0);
  b.writeUInt16LE(type, 2);
  value.copy(b, 4);
  return b;
}
const u32 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
const be16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const v4 = (a: string) => Buffer.from(a.split('.').map(Number));

describe('tunnels from ip -json -details (recorded in the sandbox, iproute2 6.1)', () => {
  it('a unicast VXLAN: VNI, remote, local, dstport', () => {
    expect(byName('vx0')?.tunnel).toEqual({ type: 'vxlan', vni: 42, local: '192.0.2.1', remote: '192.0.2.7', group: null, dstPort: 4789 });
  });
  it('an fdb-driven VXLAN has no fixed remote; a multicast one has a group', () => {
    expect(byName('vx1')?.tunnel).toMatchObject({ vni: 100, remote: null, group: null });
    expect(byName('vxmc')?.tunnel).toMatchObject({ vni: 5, remote: null, group: '239.1.1.1' });
    expect(byName('flannel.1')?.tunnel).toMatchObject({ vni: 1, dstPort: 8472 });
  });
  it('devices that are no tunnel have none', () => {
    expect(byName('u0')?.tunnel).toBeNull();
    expect(byName('lo')?.tunnel).toBeNull();
  });
  it('bridge -json fdb show: only entries with a far end, by device', () => {
    const fdb = parseFdb(readFileSync(join(dir, 'bridge-fdb.json'), 'utf8'));
    expect(fdb.filter((e) => e.dev === 'vx1')).toEqual([
      { dev: 'vx1', mac: '02:42:0a:00:00:05', dst: '192.0.2.8' },
      { dev: 'vx1', mac: '00:00:00:00:00:00', dst: '192.0.2.8' },
      { dev: 'vx1', mac: '00:00:00:00:00:00', dst: '192.0.2.9' },
    ]);
    expect(fdb.some((e) => e.dev === 'u0')).toBe(false);
    expect(parseFdb('not json')).toEqual([]);
  });
});

describe('tunnels from the kernel attributes (netloom-nsread)', () => {
  // This machine's kernel has no geneve, gre or ipip module: these follow linux/if_link.h.
  it('VXLAN: one attribute for remote and group, told apart by multicast', () => {
    const data = Buffer.concat([nla(1, u32(42)), nla(2, v4('192.0.2.7')), nla(4, v4('192.0.2.1')), nla(15, be16(4789))]);
    expect(tunnelFromNetlink('vxlan', data)).toEqual({ type: 'vxlan', vni: 42, local: '192.0.2.1', remote: '192.0.2.7', group: null, dstPort: 4789 });
    expect(tunnelFromNetlink('vxlan', nla(2, v4('239.1.1.1')))?.group).toBe('239.1.1.1');
  });
  it('Geneve, GRE and IPIP ends', () => {
    expect(tunnelFromNetlink('geneve', Buffer.concat([nla(1, u32(7)), nla(2, v4('192.0.2.10')), nla(5, be16(6081))]))).toMatchObject({ vni: 7, remote: '192.0.2.10', dstPort: 6081 });
    expect(tunnelFromNetlink('gre', Buffer.concat([nla(6, v4('192.0.2.1')), nla(7, v4('192.0.2.11'))]))).toMatchObject({ type: 'gre', local: '192.0.2.1', remote: '192.0.2.11' });
    expect(tunnelFromNetlink('ipip', Buffer.concat([nla(2, v4('0.0.0.0')), nla(3, v4('192.0.2.13'))]))).toMatchObject({ local: null, remote: '192.0.2.13' });
    expect(tunnelFromNetlink('veth', undefined)).toBeNull();
  });
  it('what made it: flannel, Calico, a Docker Swarm overlay namespace', () => {
    expect(tunnelRole('flannel.1', null)).toBe('flannel');
    expect(tunnelRole('vxlan.calico', null)).toBe('Calico');
    expect(tunnelRole('vx-001001-abcde', '1-kx3h2m9q0a')).toBe('Docker Swarm overlay');
    expect(tunnelRole('vx0', 'lab')).toBeNull();
  });
});

describe('bridge(8) in the root helper only reads', () => {
  const allowed = new Set<string>(PROGRAMS);
  it('fdb show passes; anything that changes the fdb is refused', () => {
    expect(() => checkArgvShape(['bridge', '-json', 'fdb', 'show'], undefined, allowed)).not.toThrow();
    expect(() => checkArgvShape(['nsenter', '--net=/run/netns/a', '--', 'bridge', '-json', 'fdb', 'show'], undefined, allowed)).not.toThrow();
    expect(() => checkArgvShape(['bridge', 'fdb', 'add', '00:00:00:00:00:00', 'dev', 'vx0', 'dst', '192.0.2.9'], undefined, allowed)).toThrow(/bridge other than/);
    expect(() => checkArgvShape(['bridge', '-json', 'fdb', 'show', '-batch', 'x'], undefined, allowed)).toThrow();
  });
});
