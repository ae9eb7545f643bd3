import type { Finding, HopDecider } from '../../../protocol/src/explain.js';
import type { Interface } from '../../../protocol/src/snapshot.js';
import { plugIntoBridge, linkUp } from '../fixes.js';
import type { NetIndex } from '../net-index.js';
import { nsName } from '../net-index.js';
import { finding } from './context.js';

const linkSetting = (i: Interface): HopDecider => ({ kind: 'setting', ns: i.ns, name: `link ${i.name}`, value: 'down' });

export function loopbackDown(idx: NetIndex, lo: Interface): Finding {
  return finding(
    'loopback-down',
    lo.ns,
    `The loopback interface (lo) is down in ${nsName(idx, lo.ns)}: a namespace talks to its own addresses (and to 127.0.0.1) through lo, so those packets go nowhere.`,
    linkUp(idx, lo),
    { iface: lo.id, decidedBy: linkSetting(lo) },
  );
}

export function linkDown(idx: NetIndex, i: Interface): Finding {
  const peer = i.peer ? idx.iface(i.peer) : undefined;
  const what = i.kind === 'veth' ? `This end of the veth pair${peer ? ` (${peer.name} in ${nsName(idx, peer.ns)} is the other)` : ''}` : i.kind === 'bridge' ? 'The bridge' : 'The interface';
  return finding('link-down', i.ns, `${i.name} is down in ${nsName(idx, i.ns)}. ${what} passes no packets until it is up.`, linkUp(idx, i), {
    iface: i.id,
    decidedBy: linkSetting(i),
  });
}

/** A veth end beside the bridge, not plugged into it, whose far end holds the next hop. */
function unpluggedPort(idx: NetIndex, bridge: Interface, nexthop: string): Interface | undefined {
  return idx
    .ifacesOf(bridge.ns)
    .filter((i) => i.kind === 'veth' && i.master === null && i.peer !== null)
    .find((i) => idx.iface(i.peer ?? '')?.addresses.some((a) => a.split('/')[0] === nexthop));
}

/** Nobody behind `dev` holds the next hop: a veth left off its bridge, or an address in another subnet than its neighbour's. */
export function noNeighbour(idx: NetIndex, dev: Interface, nexthop: string): Finding {
  const loose = dev.kind === 'bridge' ? unpluggedPort(idx, dev, nexthop) : undefined;
  if (loose) {
    return finding('not-on-bridge', dev.ns, `${nexthop} is behind ${loose.name} in ${nsName(idx, dev.ns)}, but ${loose.name} is not plugged into bridge ${dev.name}: ARP on the bridge gets no answer, so the packet is never sent.`, plugIntoBridge(idx, loose, dev), {
      iface: loose.id,
    });
  }
  const peer = dev.peer ? idx.iface(dev.peer) : undefined;
  const theirs = peer?.addresses.filter((a) => !a.startsWith('fe80')).join(', ');
  const message = `No one behind ${dev.name} in ${nsName(idx, dev.ns)} holds ${nexthop}, so ARP gets no answer and the packet is never sent${theirs ? ` (the far end has ${theirs})` : ''}. The two ends are probably in different subnets.`;
  return finding('wrong-subnet', dev.ns, message, null, {
    iface: dev.id,
    manual: `give both ends of the link addresses in one subnet (netloom: addr.add), or route ${nexthop} via an address the far end holds`,
  });
}
