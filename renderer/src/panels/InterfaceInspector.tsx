import type { ReactNode } from 'react';
import type { Interface, Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import { Facts, Section } from './Facts.js';
import { humanBytes, humanCount } from './format.js';
import { NodeLink } from './NodeLink.js';
import { OwnerBadge } from './OwnerBadge.js';
import { bridgePorts, routesVia, rulesMentioning } from './related.js';
import { RouteList } from './RouteList.js';
import { RuntimeNetworkFacts } from './RuntimeNetworkFacts.js';
import { networksOnBridge } from '../graph/runtime-labels.js';
import { LiveCounters } from '../traffic/LiveCounters.js';
import { TunnelFacts } from './TunnelFacts.js';

interface Props {
  iface: Interface;
  snapshot: Snapshot;
  onGo: (id: string) => void;
  /** The "Change" section (renderer/src/control), under the facts. */
  actions?: ReactNode;
}

/** Everything about one interface, with links to its peer, bridge and ports. */
export function InterfaceInspector({ iface, snapshot, onGo, actions }: Props) {
  const byId = (id: string | null | undefined) => (id ? snapshot.interfaces.find((i) => i.id === id) : undefined);
  const nsOf = (i: Interface) => snapshot.namespaces.find((n) => n.id === i.ns);
  const where = (i: Interface) => {
    const ns = nsOf(i);
    return `${i.name} in ${ns ? namespaceName(ns) : i.ns}`;
  };
  const peer = byId(iface.peer);
  const master = byId(iface.master);
  const lower = byId(iface.parent);
  const ns = nsOf(iface);
  const ports = iface.kind === 'bridge' ? bridgePorts(snapshot, iface) : [];
  const rules = rulesMentioning(snapshot, iface);
  const st = iface.stats;
  const runtimeNets = iface.kind === 'bridge' ? networksOnBridge(snapshot, iface.id) : [];
  return (
    <div className="inspector-body">
      <header className="insp-head">
        <span className={`kind-chip if-${iface.kind}`}>{iface.kind === 'other' && iface.linkKind ? iface.linkKind : iface.kind}</span>
        <h2>{iface.name}</h2>
        <span className={`if-state st-${iface.up ? 'up' : 'down'}`}>{iface.up ? 'up' : 'down'}</span>
      </header>
      <Facts
        rows={[
          ['namespace', ns ? <NodeLink id={ns.id} label={namespaceName(ns)} onGo={onGo} /> : iface.ns],
          ['state', `${iface.up ? 'UP' : 'DOWN'} · operstate ${iface.operstate}`],
          ['MAC', <span className="mono">{iface.mac ?? '—'}</span>],
          ['MTU', String(iface.mtu)],
          ['ifindex', String(iface.ifindex)],
          ...(peer ? [['peer', <NodeLink id={peer.id} label={where(peer)} onGo={onGo} />] as [string, ReactNode]] : iface.kind === 'veth' ? [['peer', 'not resolved'] as [string, ReactNode]] : []),
          ...(master ? [['bridge', <NodeLink id={master.id} label={where(master)} onGo={onGo} />] as [string, ReactNode]] : []),
          ...(lower ? [['lower device', <NodeLink id={lower.id} label={where(lower)} onGo={onGo} />] as [string, ReactNode]] : []),
          ...(iface.flags?.length ? [['flags', <span className="mono small">{iface.flags.join(',')}</span>] as [string, ReactNode]] : []),
        ]}
      />
      {runtimeNets.length ? (
        <Section title="Runtime network" count={runtimeNets.length}>
          {runtimeNets.map((n) => (
            <RuntimeNetworkFacts key={`${n.runtime}:${n.id}`} net={n} />
          ))}
        </Section>
      ) : null}
      <TunnelFacts iface={iface} snapshot={snapshot} onGo={onGo} />
      {actions}
      <LiveCounters iface={iface} nsName={ns ? namespaceName(ns) : iface.ns} />
      <Section title="Addresses" count={iface.addresses.length}>
        {iface.addresses.length ? (
          <ul className="mono-list">
            {iface.addresses.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        ) : (
          <p className="empty">none</p>
        )}
      </Section>
      {iface.kind === 'bridge' ? (
        <Section title="Ports" count={ports.length}>
          {ports.length ? (
            <ul className="link-list">
              {ports.map((p) => (
                <li key={p.id}>
                  <NodeLink id={p.id} label={where(p)} onGo={onGo} />
                  {byId(p.peer) ? <span className="dim"> ↔ {where(byId(p.peer) as Interface)}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">no ports</p>
          )}
        </Section>
      ) : null}
      <Section title="Counters at snapshot time">
        {st ? (
          <table className="counters">
            <thead>
              <tr>
                <th></th>
                <th>bytes</th>
                <th>packets</th>
                <th>errors</th>
                <th>dropped</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>rx</th>
                <td>{humanBytes(st.rxBytes)}</td>
                <td>{humanCount(st.rxPackets)}</td>
                <td>{st.rxErrors}</td>
                <td>{st.rxDropped}</td>
              </tr>
              <tr>
                <th>tx</th>
                <td>{humanBytes(st.txBytes)}</td>
                <td>{humanCount(st.txPackets)}</td>
                <td>{st.txErrors}</td>
                <td>{st.txDropped}</td>
              </tr>
            </tbody>
          </table>
        ) : (
          <p className="empty">not available</p>
        )}
      </Section>
      <Section title="Routes using it" count={routesVia(snapshot, iface).filter((r) => r.table !== 'local').length}>
        <RouteList routes={routesVia(snapshot, iface)} snapshot={snapshot} />
      </Section>
      <Section title="Rules naming it" count={rules.length}>
        {rules.length ? (
          <ul className="rule-list">
            {rules.map((r, k) => (
              <li key={k}>
                <span className="rule-where">
                  {r.table}/{r.chain}
                </span>
                <OwnerBadge owner={r.owner} />
                <code>{r.spec}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">none</p>
        )}
      </Section>
    </div>
  );
}
