import type { Intent, IntentOf } from '../../protocol/src/intents.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { NsTarget } from '../discover/ns-target.js';
import { programIn } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';
import type { PlanContext } from '../intents/context.js';

type Portmap = IntentOf<'portmap.add'>;

const addrOf = (cidr: string): string => cidr.split('/')[0] ?? cidr;

function nsOf(ctx: PlanContext, ref: string | undefined): { target: NsTarget; ipForward: boolean | null } | undefined {
  const n = ctx.namespaces.find((s) => (ref === undefined ? s.target.own : ref.startsWith('ns:') ? s.target.id === ref : s.target.name === ref));
  return n ? { target: n.target, ipForward: n.ipForward } : undefined;
}

const sameNs = (a: string | undefined, b: string | undefined): boolean => a === b;

/** `ss` in the namespace: does something already listen on the host port? (a failing ss says nothing) */
async function listened(exec: Exec, target: NsTarget, m: Portmap, signal?: AbortSignal): Promise<boolean> {
  const flag = m.proto === 'tcp' ? '-ltn' : '-lun';
  const r = await exec.run(programIn(target, ['ss', '-H', flag, `sport = :${m.hostPort}`]), { allowFailure: true, timeoutMs: 3000, signal });
  return r.exitCode === 0 && r.stdout.trim() !== '';
}

/**
 * Checks that do not stop a port mapping but usually explain why it "does not work": the port is
 * taken, the target address exists nowhere, forwarding is off, or the target cannot answer back.
 * Each check is cheap (one `ss`, or the snapshot at hand); a check that itself fails says nothing.
 */
export async function portmapWarnings(exec: Exec, intents: Intent[], plan: PlanContext, snap: Snapshot | null, signal?: AbortSignal): Promise<string[]> {
  const warnings: string[] = [];
  for (const [i, intent] of intents.entries()) {
    if (intent.op !== 'portmap.add') continue;
    const m = intent;
    const where = `intent ${i + 1} (${m.proto} ${m.hostPort} → ${m.targetIp}:${m.targetPort})`;
    const ns = nsOf(plan, m.ns);
    if (ns) {
      if (await listened(exec, ns.target, m, signal).catch(() => false)) {
        warnings.push(`${where}: something already listens on ${m.proto} port ${m.hostPort}; connections from this host to it may reach that program instead of the mapping`);
      }
      const enabledHere = intents.some((x) => x.op === 'forwarding.set' && x.enabled && sameNs(x.ns, m.ns));
      if (ns.ipForward === false && !enabledHere) {
        warnings.push(`${where}: IPv4 forwarding is off in this namespace, so mapped packets are dropped unless the target is local (add forwarding.set enabled)`);
      }
    }
    if (snap === null) continue;
    const addedHere = intents.some((x) => x.op === 'addr.add' && addrOf(x.cidr) === m.targetIp);
    const holder = snap.interfaces.find((f) => f.addresses.some((a) => addrOf(a) === m.targetIp));
    if (!holder && !addedHere) {
      warnings.push(`${where}: no interface has address ${m.targetIp} right now; the mapping leads nowhere until one does`);
      continue;
    }
    if (!holder) continue;
    const routes = snap.routes.filter((r) => r.ns === holder.ns && (r.table === 'main' || r.table === '254'));
    if (!routes.some((r) => r.dst === 'default' || r.dst === '0.0.0.0/0')) {
      warnings.push(`${where}: the namespace holding ${m.targetIp} has no default route, so its replies to clients outside its own subnets have no way back`);
    }
  }
  return warnings;
}
