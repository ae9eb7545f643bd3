// The benchmark world: N namespaces, each joined by a veth to one of 4 bridges, with
// addresses and default routes, plus `rules` iptables rules in the host. Built with one
// ip batch for the host side and one per namespace (setup time is not measured).
import { run } from './lib.mjs';

export function buildWorld(n, rules = 0) {
  const host = [];
  for (let b = 0; b < 4; b++) host.push(`link add br${b} type bridge`, `link set br${b} up`, `addr add 10.${b}.0.1/16 dev br${b}`);
  for (let i = 0; i < n; i++) host.push(`netns add ns${i}`);
  for (let i = 0; i < n; i++) host.push(`link add v${i} type veth peer name eth0 netns ns${i}`, `link set v${i} master br${i % 4}`, `link set v${i} up`);
  run(['ip', '-batch', '-'], host.join('\n') + '\n');
  for (let i = 0; i < n; i++) {
    const b = i % 4;
    const a = `10.${b}.${Math.floor(i / 250) + 1}.${(i % 250) + 1}`;
    run(['ip', '-n', `ns${i}`, '-batch', '-'], `link set lo up\nlink set eth0 up\naddr add ${a}/16 dev eth0\nroute add default via 10.${b}.0.1\n`);
  }
  if (rules > 0) {
    const lines = ['*filter', ':BENCH - [0:0]'];
    for (let i = 0; i < rules; i++) lines.push(`-A BENCH -s 10.${i % 4}.${Math.floor(i / 4) % 250}.${i % 250}/32 -p tcp --dport ${1000 + i} -j ACCEPT`);
    lines.push('COMMIT', '');
    run(['iptables-restore', '--noflush'], lines.join('\n'));
  }
}

/**
 * Waits until the kernel has finished setting up a world just built: for ~2 s after 600 links
 * come up, IPv6 duplicate address detection completes and adds addresses and routes in every
 * namespace — 200 namespaces changing at once, which a host someone opens netloom on is not.
 */
export async function settleWorld(ms = 3000) {
  await new Promise((r) => setTimeout(r, ms));
}
