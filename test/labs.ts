/**
 * Labs people build by hand, as our tests rebuild them in the sandbox (lab text is ours,
 * run line by line with test/sandbox.ts lab(); never user input).
 */

/**
 * (a) The two-namespace bridge lab: bridge br3 170.19.0.3/24, ns1 and ns2 on veth pairs,
 * lo up in ns1, default routes via the bridge, forwarding, an uplink "eth0",
 * MASQUERADE for the subnet out of eth0 and a DNAT of port 90 to ns2's port 80.
 */
export const LAB_A = `
  sysctl -w net.ipv4.ip_forward=1
  ip link add eth0 type veth peer name eth0-far
  ip addr add 192.0.2.10/24 dev eth0
  ip link set eth0-far up
  ip link set eth0 up
  ip link add br3 type bridge
  ip addr add 170.19.0.3/24 dev br3
  ip link set br3 up
  ip netns add ns1
  ip netns add ns2
  ip link add veth1 type veth peer name eth0 netns ns1
  ip link add veth2 type veth peer name eth0 netns ns2
  ip link set veth1 master br3
  ip link set veth2 master br3
  ip link set veth1 up
  ip link set veth2 up
  ip -n ns1 addr add 170.19.0.1/24 dev eth0
  ip -n ns2 addr add 170.19.0.2/24 dev eth0
  ip -n ns1 link set eth0 up
  ip -n ns2 link set eth0 up
  ip -n ns1 link set lo up
  ip -n ns1 route add default via 170.19.0.3
  ip -n ns2 route add default via 170.19.0.3
  iptables -t nat -A POSTROUTING -s 170.19.0.0/24 -o eth0 -j MASQUERADE
  iptables -t nat -A PREROUTING -p tcp --dport 90 -j DNAT --to-destination 170.19.0.2:80
`;
