/**
 * ns1 (10.1.0.2) and ns2 (10.2.0.2), each on a veth pair into the sandbox's host namespace, which
 * routes between them; `forward` sets its ip_forward. Tests add their firewall after it.
 */
export const routedLab = (forward: boolean): string => `
sysctl -q -w net.ipv4.ip_forward=${forward ? 1 : 0}
ip netns add ns1
ip netns add ns2
ip link add veth1 type veth peer name eth0 netns ns1
ip link add veth2 type veth peer name eth0 netns ns2
ip addr add 10.1.0.1/24 dev veth1
ip addr add 10.2.0.1/24 dev veth2
ip link set veth1 up
ip link set veth2 up
ip -n ns1 addr add 10.1.0.2/24 dev eth0
ip -n ns2 addr add 10.2.0.2/24 dev eth0
ip -n ns1 link set eth0 up
ip -n ns2 link set eth0 up
ip -n ns1 link set lo up
ip -n ns2 link set lo up
ip -n ns1 route add default via 10.1.0.1
ip -n ns2 route add default via 10.2.0.1
`;
