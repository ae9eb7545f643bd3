import type { Snapshot } from '../../../protocol/src/index.js';
import { namespaceName, portMappingId } from '../graph/labels.js';
import { OwnerBadge } from './OwnerBadge.js';

interface Props {
  snapshot: Snapshot;
  onGo: (id: string) => void;
  onClose: () => void;
}

/** Every port mapping on the host in one table. */
export function PortMappingsPanel({ snapshot, onGo, onClose }: Props) {
  const ifName = (id: string | null) => {
    const i = id ? snapshot.interfaces.find((x) => x.id === id) : undefined;
    if (!i) return '—';
    const ns = snapshot.namespaces.find((n) => n.id === i.ns);
    return `${i.name} in ${ns ? namespaceName(ns) : i.ns}`;
  };
  return (
    <aside className="side-panel pm-panel" aria-label="port mappings">
      <button type="button" className="panel-close" onClick={onClose} aria-label="close port mappings">
        ×
      </button>
      <header className="insp-head">
        <h2>Port mappings</h2>
        <span className="count">{snapshot.portMappings.length}</span>
      </header>
      {snapshot.portMappings.length === 0 ? (
        <p className="empty">No port mappings.</p>
      ) : (
        <table className="pm-table">
          <thead>
            <tr>
              <th>proto</th>
              <th>host</th>
              <th>target</th>
              <th>interface</th>
              <th>owner</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.portMappings.map((m) => (
              <tr key={portMappingId(m)} onClick={() => onGo(portMappingId(m))} className="clickable">
                <td>{m.proto}</td>
                <td className="mono">
                  {m.hostIp ?? '0.0.0.0'}:{m.hostPort}
                  {m.hostPortEnd ? `-${m.hostPortEnd}` : ''}
                </td>
                <td className="mono">
                  {m.targetIp}
                  {m.targetPort !== null ? `:${m.targetPort}` : ''}
                </td>
                <td>{ifName(m.targetInterface)}</td>
                <td>
                  <OwnerBadge owner={m.owner} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
