import { readdir, stat } from 'node:fs/promises';
import type { Intent } from '../../protocol/src/intents.js';
import { nsIdOf } from '../../protocol/src/snapshot.js';
import type { Exec } from '../exec.js';
import type { NsTarget } from '../discover/ns-target.js';
import { ipIn, programIn } from '../discover/ns-target.js';
import { listNamespaces } from '../discover/namespaces.js';
import { netnsInodeOfPid } from '../discover/proc-info.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { firewallLists } from '../firewall/assemble.js';
import { chooseWriter } from '../firewall/writer-choice.js';
import type { FirewallState, LinkState, NsState, PlanContext } from './context.js';
import { parseOwnTable } from './nft-own.js';
import { routeLocalnetKey } from './localnet.js';
import { iptablesStateOf } from './netloom-chains.js';

interface IpAddrJson {
  ifname?: string;
  flags?: string[];
  mtu?: number;
  master?: string;
  linkinfo?: { info_kind?: string; info_slave_data?: { hairpin?: boolean } };
  addr_info?: { local?: string; prefixlen?: number }[];
}

/** `ip -json -details addr show` → the link facts compilation checks against. */
export function linksOf(json: string): LinkState[] {
  const rows = JSON.parse(json) as IpAddrJson[];
  return rows.flatMap((r) =>
    r.ifname === undefined
      ? []
      : [
          {
            name: r.ifname,
            kind: r.linkinfo?.info_kind ?? null,
            up: r.flags?.includes('UP') ?? false,
            mtu: r.mtu ?? 1500,
            master: r.master ?? null,
            hairpin: r.linkinfo?.info_slave_data?.hairpin ?? null,
            addresses: (r.addr_info ?? []).flatMap((a) => (a.local !== undefined && a.prefixlen !== undefined ? [`${a.local}/${a.prefixlen}`] : [])),
          },
        ],
  );
}

/** Every ns reference in the intents: names and `ns:<inode>` ids. */
function referenced(intents: Intent[]): { refs: Set<string>; everywhere: boolean } {
  const refs = new Set<string>();
  let everywhere = false;
  for (const i of intents) {
    if (i.op === 'veth.create') {
      for (const end of [i.a, i.b]) if (end.ns !== undefined) refs.add(end.ns);
    } else if (i.op === 'netns.delete') refs.add(i.name);
    else if (i.op !== 'netns.create' && i.ns !== undefined) refs.add(i.ns);
    if (i.op === 'rule.remove' && i.ns === undefined) everywhere = true;
  }
  return { refs, everywhere };
}

async function namedTargets(ownInode: number | null): Promise<{ target: NsTarget; inode: number }[]> {
  const names = await readdir('/run/netns').catch(() => [] as string[]);
  const found = await Promise.all(
    names.sort().map(async (name): Promise<{ target: NsTarget; inode: number } | null> => {
      const path = `/run/netns/${name}`;
      const ino = await stat(path).then((s) => s.ino, () => null);
      // A stale file whose namespace is gone has the tmpfs's own inode, not an nsfs one; `ip` would refuse it anyway.
      return ino === null || ino === ownInode ? null : { target: { id: nsIdOf(ino), path, name, own: false }, inode: ino };
    }),
  );
  return found.filter((f): f is { target: NsTarget; inode: number } => f !== null);
}

/** A program that may be missing: its result, or null. */
async function tryRun(exec: Exec, argv: Parameters<Exec['run']>[0], signal?: AbortSignal): Promise<{ stdout: string; exitCode: number } | null> {
  return await exec.run(argv, { signal, allowFailure: true }).catch((e: unknown) => {
    if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
    return null;
  });
}

/**
 * Where netloom's rules go and what else filters here — read only for plans with firewall intents:
 * the whole nftables ruleset (for the warnings and the choice of writer) and netloom's own table
 * as nft lists it (the undo writes that text back).
 */
async function readFirewallState(exec: Exec, target: NsTarget, save: { stdout: string; exitCode: number } | null, signal?: AbortSignal): Promise<FirewallState> {
  const [json, own] = await Promise.all([tryRun(exec, programIn(target, ['nft', '-j', 'list', 'ruleset']), signal), tryRun(exec, programIn(target, ['nft', '-s', 'list', 'table', 'inet', 'netloom']), signal)]);
  const nftOk = json !== null && json.exitCode === 0;
  const backend = save !== null && /nf_tables/.test(save.stdout.split('\n', 2).join('\n')) ? 'nft-compat' : 'legacy';
  const saves = save !== null && save.exitCode === 0 && save.stdout.trim() !== '' ? [{ backend, family: 'ip', text: save.stdout } as const] : [];
  const lists = firewallLists({ saves, nftJson: nftOk ? json.stdout : null, unread: [] }, target.id);
  const writer = chooseWriter({ ...lists, iptablesAvailable: save !== null && save.exitCode === 0 });
  return { writer, nft: nftOk ? parseOwnTable(own !== null && own.exitCode === 0 ? own.stdout : null) : null, lists, iptablesBackend: backend };
}

/** Each IPv4 link's own route_localnet (localnet.ts), in one sysctl call; null for all when it cannot be read. */
async function readRouteLocalnet(exec: Exec, target: NsTarget, links: LinkState[], signal?: AbortSignal): Promise<void> {
  const v4 = links.filter((l) => l.addresses.some((a) => !a.includes(':')));
  if (v4.length === 0) return;
  const r = await exec.run(programIn(target, ['sysctl', '-n', ...v4.map((l) => routeLocalnetKey(l.name))]), { signal, allowFailure: true });
  const values = r.exitCode === 0 ? r.stdout.trim().split('\n') : [];
  v4.forEach((l, k) => {
    l.routeLocalnet = values.length === v4.length ? values[k]?.trim() === '1' : null;
  });
}

async function readNs(exec: Exec, target: NsTarget, want: { firewall: boolean; perLink: boolean }, signal?: AbortSignal): Promise<NsState> {
  const [addr, sysctl, save] = await Promise.all([
    exec.run(ipIn(target, ['-json', '-details', 'addr', 'show']), { signal }).then(async (r) => {
      const links = linksOf(r.stdout);
      if (want.perLink) await readRouteLocalnet(exec, target, links, signal);
      return links;
    }),
    exec.run(programIn(target, ['sysctl', '-n', 'net.ipv4.ip_forward', 'net.ipv4.conf.all.route_localnet', 'net.ipv4.conf.default.route_localnet']), { signal, allowFailure: true }),
    tryRun(exec, programIn(target, ['iptables-save']), signal),
  ]);
  const [fwd, localnet, localnetDefault] = sysctl.exitCode === 0 ? sysctl.stdout.trim().split('\n') : [];
  return {
    target,
    links: addr,
    ipForward: fwd === undefined ? null : fwd.trim() === '1',
    routeLocalnet: localnet === undefined ? null : localnet.trim() === '1',
    defaultRouteLocalnet: localnetDefault === undefined ? null : localnetDefault.trim() === '1',
    iptables: save !== null && save.exitCode === 0 ? iptablesStateOf(save.stdout) : null,
    ...(want.firewall ? { firewall: await readFirewallState(exec, target, save, signal) } : {}),
  };
}

const FIREWALL_OPS = new Set(['nat.masquerade.add', 'portmap.add', 'rule.remove', 'forward.allow']);

const unread = (target: NsTarget): NsState => ({ target, links: [], ipForward: null, routeLocalnet: null, iptables: null });

/**
 * Reads what compiling these intents needs, right before compiling: the host namespace, every
 * /run/netns name (for conflicts), and — in full — only the namespaces the intents touch.
 * `ns:<inode>` ids not among those are looked up with the discovery scan.
 */
export async function readPlanContext(exec: Exec, intents: Intent[], signal?: AbortSignal): Promise<PlanContext> {
  const ownInode = await netnsInodeOfPid('self');
  const own: NsTarget = { id: ownInode === null ? 'ns:self' : nsIdOf(ownInode), path: '/proc/self/ns/net', name: null, own: true };
  const targets: NsTarget[] = [own, ...(await namedTargets(ownInode)).map((t) => t.target)];
  const { refs, everywhere } = referenced(intents);
  const missingIds = [...refs].filter((r) => r.startsWith('ns:') && !targets.some((t) => t.id === r));
  if (missingIds.length > 0) {
    for (const f of await listNamespaces()) if (missingIds.includes(f.target.id) && !f.target.own) targets.push(f.target);
  }
  const wanted = (t: NsTarget): boolean => t.own || everywhere || refs.has(t.id) || (t.name !== null && refs.has(t.name));
  const firewall = intents.some((i) => FIREWALL_OPS.has(i.op));
  // Port mappings and rule removals may turn a device's route_localnet on or off (localnet.ts).
  const perLink = intents.some((i) => i.op === 'portmap.add' || i.op === 'rule.remove');
  const namespaces = await Promise.all(targets.map((t) => (wanted(t) ? readNs(exec, t, { firewall, perLink }, signal) : Promise.resolve(unread(t)))));
  return { namespaces };
}
