import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../../../protocol/src/index.js';
import { assembleSnapshot } from '../../../../helper/discover/snapshot.js';
import { loadCase } from './ip-fixtures.js';

const HOST = { hostname: 'box', kernel: '6.18.0', iptables: 'nft' as const, privileged: true };
const NAT = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
[3:180] -A PREROUTING -p tcp -m tcp --dport 90 -j DNAT --to-destination 170.19.0.2:80
[0:0] -A POSTROUTING -s 170.19.0.0/24 -o eth0 -j MASQUERADE
COMMIT
`;

describe('assembleSnapshot (bridge lab fixtures)', () => {
  const c = loadCase('bridge-lab');
  c.states[0]!.firewall = { saves: [{ backend: 'nft-compat', family: 'ip', text: NAT }], nftJson: null, unread: [] };
  const snap = assembleSnapshot(HOST, c.found, c.states, [], '2026-11-23T10:00:00.000Z');
  const ifc = (label: string, name: string) => snap.interfaces.find((i) => i.ns === c.ns[label] && i.name === name)!;

  it('is a valid Snapshot v1', () => {
    expect(Snapshot.safeParse(snap).success).toBe(true);
    expect(snap.version).toBe(1);
  });

  it('ids: "ns:"+inode for namespaces, ns id + "/" + ifindex for interfaces', () => {
    expect(snap.namespaces.map((n) => n.id)).toEqual(['ns:4026532179', 'ns:4026532459', 'ns:4026532530']);
    expect(ifc('ns1', 'eth0').id).toBe('ns:4026532459/2');
  });

  it('resolves masters, peers and parents to interface ids', () => {
    const br3 = ifc('host', 'br3');
    expect(ifc('host', 'veth1').master).toBe(br3.id);
    expect(ifc('host', 'veth2').master).toBe(br3.id);
    expect(ifc('host', 'veth1').peer).toBe(ifc('ns1', 'eth0').id);
    expect(ifc('ns2', 'eth0').peer).toBe(ifc('host', 'veth2').id);
    expect(ifc('host', 'mv0').parent).toBe(ifc('host', 'eth0').id);
    expect(ifc('host', 'vx0').parent).toBe(ifc('host', 'eth0').id);
    expect(ifc('host', 'br3').peer).toBeNull();
  });

  it('routes name their device by interface id; forwarding per namespace', () => {
    expect(snap.routes).toContainEqual(
      expect.objectContaining({ ns: c.ns.ns2, dst: 'default', gateway: '170.19.0.3', dev: ifc('ns2', 'eth0').id, table: 'main' }),
    );
    expect(snap.namespaces.find((n) => n.id === c.ns.host)?.ipForward).toBe(true);
    expect(snap.namespaces.find((n) => n.id === c.ns.ns1)?.ipForward).toBe(false);
  });

  it('rules and the port mapping from the host namespace, targeting ns2\'s veth end', () => {
    expect(snap.rules).toContainEqual(expect.objectContaining({ ns: c.ns.host, table: 'nat', chain: 'POSTROUTING', spec: '-s 170.19.0.0/24 -o eth0 -j MASQUERADE' }));
    expect(snap.rules.find((r) => r.chain === 'PREROUTING')).toMatchObject({ packets: 3, bytes: 180 });
    expect(snap.portMappings).toEqual([
      expect.objectContaining({ proto: 'tcp', hostPort: 90, targetIp: '170.19.0.2', targetPort: 80, targetInterface: ifc('ns2', 'eth0').id }),
    ]);
  });

  it('says once when a firewall source could not be read, and marks unread namespaces', () => {
    const states = c.states.map((s) => ({ ...s, firewall: { saves: [], nftJson: null, unread: ['iptables-nft rules exist here, but iptables-nft-save is not installed'] } }));
    const s2 = assembleSnapshot(HOST, c.found, states.slice(0, 2), []);
    expect(s2.notices).toEqual([{ level: 'warning', message: expect.stringContaining('2 namespaces') }]);
    expect(s2.namespaces[0]?.firewallUnread).toEqual(['iptables-nft rules exist here, but iptables-nft-save is not installed']);
    expect(s2.namespaces[2]?.error).toBe('not read yet');
  });
});
