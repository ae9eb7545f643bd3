import type React from 'react';
import type { Namespace, Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import { runtimeDisplayName } from '../graph/runtime-labels.js';
import { ContainerSection } from './ContainerSection.js';
import { PodSection } from './PodSection.js';
import { Facts, Section } from './Facts.js';
import { NodeLink } from './NodeLink.js';
import { RouteList } from './RouteList.js';

interface Props {
  ns: Namespace;
  snapshot: Snapshot;
  onGo: (id: string) => void;
  onShowRules: (nsId: string) => void;
  /** The "Change" section (renderer/src/control), under the facts. */
  actions?: React.ReactNode;
}

/** A namespace: what it is, who lives in it, its interfaces and routes. */
export function NamespaceInspector({ ns, snapshot, onGo, onShowRules, actions }: Props) {
  const ifaces = snapshot.interfaces.filter((i) => i.ns === ns.id);
  const routes = snapshot.routes.filter((r) => r.ns === ns.id);
  const ruleCount = snapshot.rules.filter((r) => r.ns === ns.id).length;
  const procs = ns.processes ?? ns.pids.map((pid) => ({ pid, command: '' }));
  return (
    <div className="inspector-body">
      <header className="insp-head">
        <span className={`kind-chip ns-${ns.kind}`}>{ns.container ? `${runtimeDisplayName(ns.container.runtime)} ${ns.container.pod ? 'pod' : 'container'}` : ns.kind}</span>
        <h2>{namespaceName(ns)}</h2>
      </header>
      {ns.error ? (
        <p className="insp-error" role="alert">
          {ns.error}
        </p>
      ) : null}
      {ns.container?.pod ? <PodSection pod={ns.container.pod} /> : null}
      {ns.container ? <ContainerSection c={ns.container} snapshot={snapshot} /> : null}
      <Facts
        rows={[
          ['kind', ns.kind],
          ['name', ns.name ?? (ns.kind === 'host' ? 'host namespace' : 'unnamed')],
          ['inode', <span className="mono">{ns.inode}</span>],
          ['id', <span className="mono">{ns.id}</span>],
          ['IPv4 forwarding', ns.ipForward === null ? 'unknown' : ns.ipForward ? 'on' : 'off'],
        ]}
      />
      <div className="insp-actions">
        <button type="button" onClick={() => onShowRules(ns.id)}>
          Show rules ({ruleCount})
        </button>
      </div>
      {actions}
      <Section title="Interfaces" count={ifaces.length}>
        <ul className="link-list">
          {ifaces.map((i) => (
            <li key={i.id}>
              <NodeLink id={i.id} label={i.name} onGo={onGo} />
              <span className="dim"> {i.kind}{i.addresses.length ? ` · ${i.addresses.join(', ')}` : ''}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Routes" count={routes.filter((r) => r.table !== 'local').length}>
        <RouteList routes={routes} snapshot={snapshot} />
      </Section>
      <Section title="Processes" count={procs.length}>
        {procs.length ? (
          <table className="procs">
            <tbody>
              {procs.slice(0, 50).map((p) => (
                <tr key={p.pid}>
                  <td className="mono">{p.pid}</td>
                  <td className="mono">{p.command}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">no processes (an idle named namespace)</p>
        )}
      </Section>
    </div>
  );
}
