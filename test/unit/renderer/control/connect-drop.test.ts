import { describe, expect, it } from 'vitest';
import { connectDrop } from '../../../../renderer/src/control/connect-drop.js';
import { HOST, NS1, WEB, iface, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';

describe('connectDrop', () => {
  const s = labSnapshot();
  s.interfaces.push(iface(NS1, 5, 'br-in', 'bridge'));
  it('namespace onto namespace (or onto an interface inside it) opens the veth form for the two', () => {
    expect(connectDrop(s, NS1, [WEB])).toEqual({ kind: 'veth', aNs: 'ns1', bNs: WEB });
    expect(connectDrop(s, NS1, [`${HOST}/2`, HOST])).toEqual({ kind: 'veth', aNs: 'ns1', bNs: '' });
    expect(connectDrop(s, NS1, [])).toBeNull();
  });
  it('an interface onto a bridge of its namespace plugs it in; another namespace or its own bridge is refused with why', () => {
    expect(connectDrop(s, `${HOST}/12`, [`${HOST}/3`, HOST])).toEqual({ kind: 'plug', intent: { op: 'link.set', name: 'veth01', master: 'docker0' } });
    expect(connectDrop(s, `${NS1}/2`, [`${NS1}/5`])).toEqual({ kind: 'plug', intent: { op: 'link.set', name: 'eth0', ns: 'ns1', master: 'br-in' } });
    expect(connectDrop(s, `${NS1}/2`, [`${HOST}/3`])).toEqual({ kind: 'refuse', why: "eth0 and bridge docker0 are in different namespaces: a port must be in its bridge's namespace." });
    expect(connectDrop(s, `${HOST}/10`, [`${HOST}/3`])).toEqual({ kind: 'refuse', why: 'veth1a2b3c is already a port of docker0.' });
    expect(connectDrop(s, `${HOST}/12`, [HOST])).toBeNull();
  });
  it('the host dropped right on an addressed interface of another namespace opens the port-mapping form for its address', () => {
    expect(connectDrop(s, HOST, [`${WEB}/2`, WEB])).toEqual({ kind: 'portmap', targetIp: '172.17.0.2' });
    // On the box rather than an interface it is still a veth pair; an address-less interface too.
    expect(connectDrop(s, HOST, [WEB])).toEqual({ kind: 'veth', aNs: '', bNs: WEB });
    expect(connectDrop(s, HOST, [`${WEB}/1`.replace('/1', '/99'), WEB])).toEqual({ kind: 'veth', aNs: '', bNs: WEB });
  });
});
