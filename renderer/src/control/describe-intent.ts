import type { Intent } from '../../../protocol/src/index.js';

const inNs = (ns: string | undefined) => (ns ? ` in ${ns}` : '');

/** One line per intent for the pending list: what the person asked for, not how. */
export function describeIntent(i: Intent): string {
  switch (i.op) {
    case 'netns.create':
      return `Create namespace ${i.name}`;
    case 'netns.delete':
      return `Delete namespace ${i.name}`;
    case 'bridge.create':
      return `Create bridge ${i.name}${inNs(i.ns)}`;
    case 'veth.create':
      return `Create veth pair ${i.a.name} (${i.a.ns ?? 'host'}) ↔ ${i.b.name} (${i.b.ns ?? 'host'})`;
    case 'link.set': {
      const what: string[] = [];
      if (i.up !== undefined) what.push(`bring ${i.name} ${i.up ? 'up' : 'down'}`);
      if (i.master !== undefined) what.push(i.master === null ? `unplug ${i.name} from its bridge` : `plug ${i.name} into ${i.master}`);
      if (i.mtu !== undefined) what.push(`set the MTU of ${i.name} to ${i.mtu}`);
      if (i.rename !== undefined) what.push(`rename ${i.name} to ${i.rename}`);
      return `${cap(what.join(', '))}${inNs(i.ns)}`;
    }
    case 'link.delete':
      return `Delete interface ${i.name}${inNs(i.ns)}`;
    case 'addr.add':
      return `Add ${i.cidr} to ${i.dev}${inNs(i.ns)}`;
    case 'addr.delete':
      return `Remove ${i.cidr} from ${i.dev}${inNs(i.ns)}`;
    case 'route.add':
    case 'route.delete':
      return `${i.op === 'route.add' ? 'Add' : 'Remove'} route ${i.dst}${i.via ? ` via ${i.via}` : ''}${i.dev ? ` dev ${i.dev}` : ''}${inNs(i.ns)}`;
    case 'forwarding.set':
      return `Turn IPv4 forwarding ${i.enabled ? 'on' : 'off'}${inNs(i.ns)}`;
    case 'nat.masquerade.add':
      return `MASQUERADE ${i.source}${i.outDev ? ` out of ${i.outDev}` : ''}${i.notDestination ? ` (not to ${i.notDestination})` : ''}${inNs(i.ns)}`;
    case 'portmap.add':
      return `Map ${i.proto} ${i.hostIp ?? '*'}:${i.hostPort}${i.hostPortEnd !== undefined ? `-${i.hostPortEnd}` : ''} → ${i.targetIp}:${i.targetPort}${i.localAccess === false ? ' (not from this host)' : ''}${inNs(i.ns)}`;
    case 'rule.remove':
      return `Remove netloom rule ${i.id}${inNs(i.ns)}`;
    case 'forward.allow':
      return `Let ${i.source}${i.destination ? ` → ${i.destination}` : ''} through FORWARD (and its replies)${inNs(i.ns)}`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
