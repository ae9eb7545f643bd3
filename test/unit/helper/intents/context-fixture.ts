import type { PlanContext } from '../../../../helper/intents/context.js';
import { freshIptables } from '../../../../helper/intents/context.js';

/** A host with eth0, a named namespace "red" holding veth0, and "blue" known only by a process (pid 4242). */
export function contextFixture(): PlanContext {
  return {
    namespaces: [
      {
        target: { id: 'ns:4026531840', path: '/proc/self/ns/net', name: null, own: true },
        links: [
          { name: 'lo', kind: null, up: true, mtu: 65536, master: null, addresses: ['127.0.0.1/8'] },
          { name: 'eth0', kind: null, up: true, mtu: 1500, master: null, addresses: ['192.0.2.1/24'] },
          { name: 'br0', kind: 'bridge', up: false, mtu: 1500, master: null, addresses: [] },
        ],
        ipForward: false,
        routeLocalnet: false,
        iptables: freshIptables(),
      },
      {
        target: { id: 'ns:4026532001', path: '/run/netns/red', name: 'red', own: false },
        links: [
          { name: 'lo', kind: null, up: false, mtu: 65536, master: null, addresses: [] },
          { name: 'veth0', kind: 'veth', up: false, mtu: 1500, master: null, addresses: ['10.0.0.2/24'] },
        ],
        ipForward: true,
        routeLocalnet: false,
        iptables: freshIptables(),
      },
      {
        target: { id: 'ns:4026532999', path: '/proc/4242/ns/net', name: null, own: false },
        links: [{ name: 'lo', kind: null, up: true, mtu: 65536, master: null, addresses: [] }],
        ipForward: null,
        routeLocalnet: null,
        iptables: null,
      },
    ],
  };
}
