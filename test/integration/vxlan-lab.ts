import { startSshLab, type SshHost, type SshLab } from './ssh-lab.js';

/**
 * One side of the tests' VXLAN between two sshd hosts (issue 14): the underlay on eth0, vx42 (a
 * fixed remote) in br42 with a namespace APP at APP_ADDR, vx100 (fdb only), vx7 to 192.0.2.7 —
 * never up, so no packet is ever sent towards TEST-NET-1, outside the sandbox.
 */
export async function vxlanSide(h: SshHost, me: string, peer: string, app: string, appAddr: string): Promise<void> {
  const steps = [
    `ip link add vx42 type vxlan id 42 local ${me} remote ${peer} dstport 4789 dev eth0`,
    'ip link add br42 type bridge',
    'ip link set vx42 master br42',
    `ip netns add ${app}`,
    `ip link add v${app} type veth peer name eth0 netns ${app}`,
    `ip link set v${app} master br42`,
    `ip -n ${app} addr add ${appAddr}/24 dev eth0`,
    `ip -n ${app} link set eth0 up`,
    `ip link set v${app} up`,
    'ip link set br42 up',
    'ip link set vx42 up',
    `ip link add vx100 type vxlan id 100 local ${me} dstport 4789 nolearning dev eth0`,
    `bridge fdb append 00:00:00:00:00:00 dev vx100 dst ${peer}`,
    'ip link set vx100 up',
    `ip link add vx7 type vxlan id 7 local ${me} remote 192.0.2.7 dstport 4789 dev eth0`,
  ];
  for (const s of steps) await h.run(s.split(' '));
}

/** Hosts a and b with the VXLAN between them and app-a (10.42.0.1) / app-b (10.42.0.2) behind it. */
export async function startVxlanLab(): Promise<SshLab> {
  const lab = await startSshLab(['hosta', 'hostb']);
  const [a, b] = lab.hosts as [SshHost, SshHost];
  await vxlanSide(a, a.addr, b.addr, 'app-a', '10.42.0.1');
  await vxlanSide(b, b.addr, a.addr, 'app-b', '10.42.0.2');
  return lab;
}
