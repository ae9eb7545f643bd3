import type { Program } from '../exec.js';

/** How to reach a network namespace from the helper's own. */
export interface NsTarget {
  /** `ns:<inode>` */
  id: string;
  /** A path whose open() yields the namespace: /run/netns/NAME, /proc/PID/ns/net, a runtime's bind mount. */
  path: string;
  /** Its /run/netns name, when it has one (then `ip -n` can enter it without nsenter). */
  name: string | null;
  /** True for the namespace the helper itself lives in: no entering needed. */
  own: boolean;
}

/** argv that runs `ip ARGS` inside the namespace. `ip -n` saves an exec over nsenter. */
export function ipIn(ns: NsTarget, args: string[]): [Program, ...string[]] {
  if (ns.own) return ['ip', ...args];
  if (ns.name !== null) return ['ip', '-n', ns.name, ...args];
  return ['nsenter', `--net=${ns.path}`, '--', 'ip', ...args];
}

/** argv that runs any of the helper's programs inside the namespace. */
export function programIn(ns: NsTarget, argv: [Program, ...string[]]): [Program, ...string[]] {
  if (ns.own) return argv;
  return ['nsenter', `--net=${ns.path}`, '--', ...argv];
}
