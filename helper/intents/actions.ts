import { ProtocolError } from '../../protocol/src/errors.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { LinkState, NsState, PlanContext } from './context.js';
import { freshIptables } from './context.js';
import type { NetloomTable } from './netloom-chains.js';

/**
 * What an intent builder produces, before compile.ts groups it into steps: an `ip` command
 * (batched per namespace), a sysctl, or iptables-restore lines (one restore per table).
 */
export interface IpAction {
  kind: 'ip';
  ns: NsTarget;
  args: string[];
  /** null: cannot be undone; `irreversible` says why. Such actions get a step of their own. */
  undo: string[] | null;
  irreversible?: string;
  description: string;
  /** Other namespaces (ids) this command changes — a veth end placed there, a namespace created — so later lines for them stay after it. */
  touches?: string[];
}

export interface SysctlAction {
  kind: 'sysctl';
  ns: NsTarget;
  key: string;
  value: string;
  /** The value before, restored by the undo; null when it could not be read. */
  previous: string | null;
  description: string;
}

export interface IptablesAction {
  kind: 'iptables';
  ns: NsTarget;
  table: NetloomTable;
  /** `:CHAIN - [0:0]` lines; they must come first in the restore input. */
  declare: string[];
  lines: string[];
  /** In the order they must run to undo this action. */
  undoLines: string[];
  description: string;
}

/** A change of netloom's own nftables table in `ns`: the builder already changed the working state; compile renders the table. */
export interface NftablesAction {
  kind: 'nftables';
  ns: NsTarget;
  description: string;
}

export type Action = IpAction | SysctlAction | IptablesAction | NftablesAction;

export interface BuildResult {
  actions: Action[];
  ids?: string[];
  notes?: string[];
}

export interface BuildEnv {
  /** The working state: builders read it and update it (a bridge created is there for the next intent). */
  state: PlanContext;
  newId: () => string;
}

export const nsLabel = (ns: NsTarget): string => (ns.own ? 'the host namespace' : ns.name !== null ? `namespace ${ns.name}` : `namespace ${ns.id}`);

/** Resolves an intent's `ns` (a /run/netns name, `ns:<inode>`, or nothing = host) in the working state. */
export function resolveNs(env: BuildEnv, ref: string | undefined, field: string): NsState {
  const found =
    ref === undefined
      ? env.state.namespaces.find((n) => n.target.own)
      : ref.startsWith('ns:')
        ? env.state.namespaces.find((n) => n.target.id === ref)
        : env.state.namespaces.find((n) => n.target.name === ref);
  if (!found) {
    const what = ref === undefined ? 'the host namespace' : `namespace "${ref}"`;
    throw new ProtocolError('not_found', `${what} does not exist (or netloom cannot enter it)`, { path: field });
  }
  return found;
}

export function findLink(ns: NsState, name: string): LinkState | undefined {
  return ns.links.find((l) => l.name === name);
}

export function requireLink(ns: NsState, name: string, field: string): LinkState {
  const link = findLink(ns, name);
  if (!link) throw new ProtocolError('not_found', `interface ${name} does not exist in ${nsLabel(ns.target)}`, { path: field });
  return link;
}

export function refuseExistingLink(ns: NsState, name: string, field: string): void {
  if (findLink(ns, name)) throw new ProtocolError('conflict', `interface ${name} already exists in ${nsLabel(ns.target)}`, { path: field });
}

export function newLink(name: string, kind: string | null): LinkState {
  return { name, kind, up: false, mtu: 1500, master: null, addresses: [] };
}

/** The state of a namespace created by this plan: only a loopback, down. */
export function newNamespaceState(name: string): NsState {
  return {
    target: { id: `new:${name}`, path: `/run/netns/${name}`, name, own: false },
    links: [{ ...newLink('lo', null), mtu: 65536 }],
    ipForward: false,
    routeLocalnet: false,
    defaultRouteLocalnet: false,
    iptables: freshIptables(),
  };
}

/**
 * The `netns` argument that places a veth end in another namespace: a /run/netns name, or the
 * pid of a process living there. A namespace known only by a runtime's bind mount has neither.
 */
export function netnsArg(target: NsTarget, field: string): string {
  if (target.name !== null) return target.name;
  const pid = /^\/proc\/(\d+)\/ns\/net$/.exec(target.path)?.[1];
  if (pid) return pid;
  throw new ProtocolError('unavailable', `netloom cannot yet place an interface in ${target.id} (it has no /run/netns name and no process)`, { path: field });
}
