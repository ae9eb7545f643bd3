// The benchmark world: N namespaces, each joined by a veth to one of 4 bridges, with
// addresses and default routes, plus `rules` iptables rules in the host. Built with one
// ip batch for the host side and one per namespace (setup time is not measured).
import { run } from './lib.mjs';

export function buildWorld(n, rules = 0, nftRules = 0) {
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
  if (nftRules > 0) run(['nft', '-f', '-'], nftWorld(nftRules));
}

/**
 * `count` native nftables rules in the host, shaped like a real host's (issue 12): an inet table
 * with a forward chain of policy drop, per-address accepts, a set and a verdict map into a few
 * per-port chains, and a nat table with DNATs — what Docker 29, firewalld and kube-proxy write.
 */
export function nftWorld(count) {
  const lines = ['table inet benchfw {', '  set allowed { type ipv4_addr; elements = { 10.0.0.5, 10.0.0.6, 10.1.0.7 } }'];
  const perChain = Math.max(1, Math.floor(count / 8));
  for (let c = 0; c < 4; c++) {
    lines.push(`  chain port${c} {`);
    for (let i = 0; i < perChain; i++) lines.push(`    ip saddr 10.${c}.${Math.floor(i / 250) % 250}.${i % 250} tcp dport ${2000 + i} accept`);
    lines.push('  }');
  }
  lines.push('  chain fw {', '    type filter hook forward priority filter; policy drop;', '    ct state established,related accept', '    ip daddr @allowed accept');
  lines.push('    iifname vmap { "br0" : jump port0, "br1" : jump port1, "br2" : jump port2, "br3" : jump port3 }');
  for (let i = 0; i < perChain * 2; i++) lines.push(`    ip daddr 10.${i % 4}.${Math.floor(i / 250) % 250 + 1}.${i % 250} udp dport ${3000 + (i % 1000)} accept`);
  lines.push('  }', '}', 'table ip benchnat {', '  chain pre {', '    type nat hook prerouting priority dstnat; policy accept;');
  for (let i = 0; i < count - perChain * 6; i++) lines.push(`    tcp dport ${20000 + i} dnat to 10.${i % 4}.1.${(i % 250) + 1}:80`);
  lines.push('  }', '}', '');
  return lines.join('\n');
}

/**
 * Waits until the kernel has finished setting up a world just built: for ~2 s after 600 links
 * come up, IPv6 duplicate address detection completes and adds addresses and routes in every
 * namespace — 200 namespaces changing at once, which a host someone opens netloom on is not.
 */
export async function settleWorld(ms = 3000) {
  await new Promise((r) => setTimeout(r, ms));
}
