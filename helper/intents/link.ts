import { ProtocolError } from '../../protocol/src/errors.js';
import type { IntentOf } from '../../protocol/src/intents.js';
import type { Action, BuildEnv, BuildResult } from './actions.js';
import { netnsArg, newLink, nsLabel, refuseExistingLink, requireLink, resolveNs } from './actions.js';

export function buildBridgeCreate(intent: IntentOf<'bridge.create'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  refuseExistingLink(ns, intent.name, `${at}.name`);
  ns.links.push(newLink(intent.name, 'bridge'));
  return {
    actions: [
      {
        kind: 'ip',
        ns: ns.target,
        args: ['link', 'add', intent.name, 'type', 'bridge'],
        undo: ['link', 'delete', intent.name],
        description: `create bridge ${intent.name} in ${nsLabel(ns.target)}`,
      },
    ],
  };
}

/**
 * One `ip link add A type veth peer name B netns NSB`, run in A's namespace — or in the host's
 * when B is the host end (the host has no `netns` name to point at). The kernel creates each end
 * directly in its namespace, so a name only has to be free there.
 */
export function buildVethCreate(intent: IntentOf<'veth.create'>, env: BuildEnv, at: string): BuildResult {
  const nsA = resolveNs(env, intent.a.ns, `${at}.a.ns`);
  const nsB = resolveNs(env, intent.b.ns, `${at}.b.ns`);
  refuseExistingLink(nsA, intent.a.name, `${at}.a.name`);
  refuseExistingLink(nsB, intent.b.name, `${at}.b.name`);
  if (nsA === nsB && intent.a.name === intent.b.name) {
    throw new ProtocolError('invalid', 'both ends of a veth pair in one namespace need different names', { path: `${at}.b.name` });
  }
  const [run, there, here, other] = nsB.target.own && !nsA.target.own ? [nsB, intent.a, intent.b, nsA] : [nsA, intent.b, intent.a, nsB];
  const args = ['link', 'add', here.name, 'type', 'veth', 'peer', 'name', there.name];
  if (other !== run) args.push('netns', netnsArg(other.target, `${at}.${there === intent.a ? 'a' : 'b'}.ns`));
  nsA.links.push(newLink(intent.a.name, 'veth'));
  nsB.links.push(newLink(intent.b.name, 'veth'));
  const where = nsA === nsB ? nsLabel(nsA.target) : `${nsLabel(nsA.target)} ↔ ${nsLabel(nsB.target)}`;
  return {
    actions: [
      {
        kind: 'ip',
        ns: run.target,
        args,
        undo: ['link', 'delete', here.name],
        touches: [other.target.id],
        description: `create veth pair ${intent.a.name} ↔ ${intent.b.name} (${where})`,
      },
    ],
  };
}

/** Each change is one `ip link set` line, undone with the value it had before; unchanged values are left out. */
export function buildLinkSet(intent: IntentOf<'link.set'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const link = requireLink(ns, intent.name, `${at}.name`);
  const where = `${intent.name} in ${nsLabel(ns.target)}`;
  const dev = ['link', 'set', 'dev', intent.name];
  const actions: Action[] = [];
  const notes: string[] = [];
  if (intent.master !== undefined && intent.master !== link.master) {
    const was = link.master;
    if (intent.master !== null) {
      const bridge = requireLink(ns, intent.master, `${at}.master`);
      if (bridge.kind !== 'bridge') throw new ProtocolError('invalid', `${intent.master} is not a bridge`, { path: `${at}.master` });
    }
    const to = (m: string | null): string[] => (m === null ? [...dev, 'nomaster'] : [...dev, 'master', m]);
    actions.push({ kind: 'ip', ns: ns.target, args: to(intent.master), undo: to(was), description: intent.master === null ? `detach ${where} from ${was}` : `plug ${where} into bridge ${intent.master}` });
    link.master = intent.master;
  } else if (intent.master !== undefined) notes.push(`${where} is already ${intent.master === null ? 'detached' : `in ${intent.master}`}`);
  if (intent.mtu !== undefined && intent.mtu !== link.mtu) {
    actions.push({ kind: 'ip', ns: ns.target, args: [...dev, 'mtu', String(intent.mtu)], undo: [...dev, 'mtu', String(link.mtu)], description: `set the MTU of ${where} to ${intent.mtu}` });
    link.mtu = intent.mtu;
  } else if (intent.mtu !== undefined) notes.push(`${where} already has MTU ${intent.mtu}`);
  if (intent.up !== undefined && intent.up !== link.up) {
    const word = (up: boolean): string => (up ? 'up' : 'down');
    actions.push({ kind: 'ip', ns: ns.target, args: [...dev, word(intent.up)], undo: [...dev, word(link.up)], description: `bring ${where} ${word(intent.up)}` });
    link.up = intent.up;
  } else if (intent.up !== undefined) notes.push(`${where} is already ${intent.up ? 'up' : 'down'}`);
  if (intent.rename !== undefined && intent.rename !== intent.name) actions.push(...renameActions(intent.name, intent.rename, ns, link, `${at}.rename`));
  return { actions, notes };
}

/**
 * The kernel refuses to rename a link that is up (EBUSY): down, rename, up again. Each
 * undo names the link as it is called when that undo runs (undos run in reverse).
 */
function renameActions(from: string, to: string, ns: ReturnType<typeof resolveNs>, link: ReturnType<typeof requireLink>, path: string): Action[] {
  if (ns.links.some((l) => l.name === to)) throw new ProtocolError('conflict', `an interface named ${to} already exists in ${nsLabel(ns.target)}`, { path });
  const where = nsLabel(ns.target);
  const set = (name: string, ...rest: string[]): string[] => ['link', 'set', 'dev', name, ...rest];
  const rename: Action = { kind: 'ip', ns: ns.target, args: set(from, 'name', to), undo: set(to, 'name', from), description: `rename ${from} in ${where} to ${to}` };
  const wasUp = link.up;
  for (const l of ns.links) if (l.master === from) l.master = to;
  link.name = to;
  if (!wasUp) return [rename];
  return [
    { kind: 'ip', ns: ns.target, args: set(from, 'down'), undo: set(from, 'up'), description: `bring ${from} in ${where} down to rename it` },
    rename,
    { kind: 'ip', ns: ns.target, args: set(to, 'up'), undo: set(to, 'down'), description: `bring ${to} in ${where} back up` },
  ];
}

export function buildLinkDelete(intent: IntentOf<'link.delete'>, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  const link = requireLink(ns, intent.name, `${at}.name`);
  if (link.kind === null && intent.name === 'lo') throw new ProtocolError('invalid', 'the loopback interface cannot be deleted', { path: `${at}.name` });
  ns.links = ns.links.filter((l) => l !== link);
  for (const l of ns.links) if (l.master === intent.name) l.master = null;
  return {
    actions: [
      {
        kind: 'ip',
        ns: ns.target,
        args: ['link', 'delete', intent.name],
        undo: null,
        irreversible: 'a deleted interface cannot be recreated as it was (a veth takes its peer with it; addresses and routes go too)',
        description: `delete ${link.kind ?? 'interface'} ${intent.name} in ${nsLabel(ns.target)}${link.kind === 'veth' ? ' (and its peer)' : ''}`,
      },
    ],
  };
}
