import type { ReactNode } from 'react';
import type { Interface, Snapshot } from '../../../protocol/src/index.js';
import { splitId, tunnelEdges } from '../../../protocol/src/index.js';
import { Facts, Section } from './Facts.js';
import { NodeLink } from './NodeLink.js';
import { WireguardPeers } from './WireguardPeers.js';

/** WireGuard on a tun device is a userspace one (wireguard-go, boringtun): the kernel's is its own kind. */
export function typeLabel(type: string, linkKind: string | null | undefined): string {
  if (type !== 'wireguard') return type;
  return linkKind === 'tun' ? 'WireGuard (userspace, on a tun device)' : 'WireGuard';
}

interface Props {
  iface: Interface;
  snapshot: Snapshot;
  onGo: (id: string) => void;
}

/**
 * A tunnel device's encapsulation (issue 14): VNI, ends, UDP port, what made it, the far ends its
 * fdb sends to — and each far end's device when it is on the canvas (on another host or here).
 */
export function TunnelFacts({ iface, snapshot, onGo }: Props) {
  const t = iface.tunnel;
  if (t === undefined) return null;
  const ends = tunnelEdges(snapshot.interfaces).filter((e) => e.a === iface.id || e.b === iface.id);
  const label = (id: string): string => {
    const i = snapshot.interfaces.find((x) => x.id === id);
    const host = splitId(id).host;
    return `${i?.name ?? id}${host ? ` on ${host}` : ''}`;
  };
  const rows: [string, ReactNode][] = [
    ['type', typeLabel(t.type, iface.linkKind)],
    ...(t.vni !== null ? [['VNI', String(t.vni)] as [string, ReactNode]] : []),
    ...(t.local ? [['local', <span className="mono">{t.local}</span>] as [string, ReactNode]] : []),
    ...(t.remote ? [['remote', <span className="mono">{t.remote}</span>] as [string, ReactNode]] : []),
    ...(t.group ? [['group', <span className="mono">{t.group}</span>] as [string, ReactNode]] : []),
    ...(t.dstPort !== null ? [['UDP port', String(t.dstPort)] as [string, ReactNode]] : []),
    ...(t.role ? [['made by', t.role] as [string, ReactNode]] : []),
  ];
  return (
    <Section title="Tunnel" count={ends.length}>
      <Facts rows={rows} />
      <ul className="link-list" aria-label="far ends">
        {ends.map((e) => {
          const other = e.a === iface.id ? e.b : e.a;
          // An edge holds the far address as its `a` end sees it; from the `b` end the far address is a's own.
          const far = e.a === iface.id ? e.remote : (snapshot.interfaces.find((x) => x.id === e.a)?.tunnel?.local ?? t.remote ?? e.remote);
          return (
            <li key={e.id}>
              <span className="mono">{far}</span> → {other !== null ? <NodeLink id={other} label={label(other)} onGo={onGo} /> : <span className="dim">not on the canvas</span>}
            </li>
          );
        })}
      </ul>
      {t.fdb?.length ? (
        <ul className="mono-list" aria-label="fdb far ends">
          {t.fdb.map((f) => (
            <li key={`${f.mac}-${f.dst}`}>
              {f.mac} dst {f.dst}
            </li>
          ))}
        </ul>
      ) : null}
      {t.peers?.length ? <WireguardPeers peers={t.peers} /> : null}
    </Section>
  );
}
