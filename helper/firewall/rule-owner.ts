import type { RuleOwner } from '../../protocol/src/snapshot.js';
import { comments, interfacesOf, optionValue, parseSpec, ruleTarget, type SpecOption } from './iptables-spec.js';

/**
 * Who wrote an iptables rule (DESIGN §6): netloom edits only its own, and the rules view
 * groups by owner. Signals, strongest first: the rule's comment, the chain it lives in, the
 * chain it jumps to, the interfaces it names, then a few exact shapes known from the
 * runtimes' sources (lxc-net and Docker write no comments).
 */

const BUILTIN_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** Owner of a chain by its name alone; built-in and unknown chains are the user's. */
export function chainOwner(chain: string): RuleOwner {
  if (chain.startsWith('NETLOOM-')) return 'netloom';
  if (chain === 'DOCKER' || chain.startsWith('DOCKER-')) return 'docker';
  if (chain.startsWith('NETAVARK') || chain.startsWith('CNI-') || chain.startsWith('PODMAN')) return 'podman';
  if (/^(KUBE-|cali-|CALI-|CILIUM_|OLD_CILIUM_|cilium|FLANNEL-)/.test(chain)) return 'kube';
  return 'user';
}

/** Comments the runtimes and netloom write. Any other comment says nothing about the owner. */
function commentOwner(text: string): RuleOwner | null {
  if (text.startsWith('netloom:')) return 'netloom';
  if (/managed by lxc-net|generated for lxc network/i.test(text)) return 'lxc';
  // CNI (podman's CNI backend) tags `name: "podman" id: "…"`; netavark `dnat name: … id: …`,
  // `netavark firewall plugin rules`, `netavark portfw masq mark`.
  if (/^(dnat )?name: .* id: |^netavark /.test(text)) return 'podman';
  if (/^kubernetes |^kube-|^cali:|^cilium/i.test(text)) return 'kube';
  return null;
}

/** Owner suggested by an interface name the rule matches on. */
function interfaceOwner(name: string): RuleOwner | null {
  if (name === 'docker0' || /^br-[0-9a-f]{12}$/.test(name) || name === 'docker_gwbridge') return 'docker';
  if (/^(cni-)?podman\d+$/.test(name)) return 'podman';
  if (name === 'lxcbr0') return 'lxc';
  if (/^(cali|cilium_|flannel\.|kube-)/.test(name)) return 'kube';
  return null;
}

/** lxc-net's default network, as its MASQUERADE names it (`-s 10.0.3.0/24 ! -d 10.0.3.0/24`). */
const LXC_NETWORK = '10.0.3.0/24';

function shapeOwner(options: SpecOption[], target: string | null): RuleOwner | null {
  if (target !== 'MASQUERADE') return null;
  const src = optionValue(options, '-s');
  const dst = options.find((o) => o.name === '-d' || o.name === '--destination');
  if (src === LXC_NETWORK && dst?.negated === true && dst.args[0] === LXC_NETWORK) return 'lxc';
  // Docker's hairpin rule for a published port: `-s C/32 -d C/32 -p tcp --dport P -j MASQUERADE`.
  if (src !== null && src.endsWith('/32') && dst !== undefined && !dst.negated && dst.args[0] === src) {
    if (optionValue(options, '--dport') !== null) return 'docker';
  }
  return null;
}

/** Owner of one rule. Never throws. */
export function ruleOwner(table: string, chain: string, spec: string): RuleOwner {
  void table; // the same signals hold in every table; kept in the signature for callers.
  const options = parseSpec(spec);
  for (const c of comments(options)) {
    const owner = commentOwner(c);
    if (owner !== null) return owner;
  }
  const target = ruleTarget(options)?.target ?? null;
  // DOCKER-USER is Docker's chain for the *user's* rules: only its own `-j RETURN` is Docker's.
  if (chain === 'DOCKER-USER') return spec.trim() === '-j RETURN' ? 'docker' : 'user';
  if (!BUILTIN_CHAINS.has(chain)) {
    const owner = chainOwner(chain);
    if (owner !== 'user') return owner;
  }
  if (target !== null) {
    const owner = chainOwner(target);
    if (owner !== 'user') return owner;
  }
  for (const name of interfacesOf(options)) {
    const owner = interfaceOwner(name);
    if (owner !== null) return owner;
  }
  return shapeOwner(options, target) ?? 'user';
}
