import { Fragment, useState } from 'react';
import type { Intent, PortMapping, Snapshot } from '../../../protocol/src/index.js';
import { mappingTargetText, namespaceName, portMappingId, portMappingText } from '../graph/labels.js';
import { OwnerBadge } from '../panels/OwnerBadge.js';
import { nsRefOf } from './ns-ref.js';
import { ownerSentence } from './owner-help.js';
import { PortMapForm } from './PortMapForm.js';
import { formFromMapping } from './portmap-form.js';
import { useControlStore } from './use-control.js';
import { SidePanel } from '../app/SidePanel.js';
import './control.css';

interface Props {
  snapshot: Snapshot;
  onGo: (id: string) => void;
  onClose: () => void;
  /** Open with the add form showing (New ▸ Port mapping…). */
  startAdding?: boolean;
}

/** Every port mapping on the host with its owner; netloom's can be deleted, new ones added. */
export function PortMapEditor({ snapshot, onGo, onClose, startAdding = false }: Props) {
  const store = useControlStore();
  const [adding, setAdding] = useState(startAdding);
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<PortMapping | null>(null);
  const ifName = (id: string | null) => {
    const i = id ? snapshot.interfaces.find((x) => x.id === id) : undefined;
    if (!i) return '—';
    const ns = snapshot.namespaces.find((n) => n.id === i.ns);
    return `${i.name} in ${ns ? namespaceName(ns) : i.ns}`;
  };
  const removal = (pm: PortMapping): { intent: Intent; label: string } | null => {
    // The snapshot carries the id netloom tagged its rules with (rule.remove takes it), ranges too.
    const id = pm.netloomId ?? null;
    if (!id) return null;
    const ns = nsRefOf(snapshot, pm.ns);
    return { intent: { op: 'rule.remove', id, ...(ns !== undefined ? { ns } : {}) }, label: `Delete port mapping ${portMappingText(pm)} [netloom:${id}]` };
  };
  const remove = (pm: PortMapping) => {
    const r = removal(pm);
    if (r) store.queue(r.intent, r.label, { open: true });
  };
  const editingRemoval = editing ? removal(editing) : null;
  return (
    <SidePanel className="pm-panel ctl-panel" label="port mappings" onClose={onClose}>
      <header className="insp-head">
        <h2>Port mappings</h2>
        <span className="count">{snapshot.portMappings.length}</span>
        {!adding ? (
          <button type="button" className="primary ctl-head-btn" onClick={() => setAdding(true)}>
            Add mapping…
          </button>
        ) : null}
      </header>
      {adding ? <PortMapForm snapshot={snapshot} onDone={() => setAdding(false)} /> : null}
      {editing && editingRemoval ? (
        <PortMapForm
          key={portMappingId(editing)}
          snapshot={snapshot}
          initial={formFromMapping(editing, nsRefOf(snapshot, editing.ns))}
          replacing={editingRemoval}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {snapshot.portMappings.length === 0 ? (
        <p className="empty">No port mappings on this host.</p>
      ) : (
        <table className="pm-table ctl-pm-table">
          <thead>
            <tr>
              <th>proto</th>
              <th>host</th>
              <th>target</th>
              <th>interface</th>
              <th>owner</th>
              <th>
                <span className="sr-only">actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {snapshot.portMappings.map((m) => {
              const key = portMappingId(m);
              const text = portMappingText(m);
              const mine = m.owner === 'netloom';
              const ruleId = mine ? (m.netloomId ?? null) : null;
              return (
                <Fragment key={key}>
                  <tr className={open === key ? 'is-open' : undefined}>
                    <td>{m.proto}</td>
                    <td className="mono">
                      <button type="button" className="node-link mono" onClick={() => onGo(key)} aria-label={`show ${text}`}>
                        {m.hostIp ?? '0.0.0.0'}:{m.hostPort}
                        {m.hostPortEnd ? `-${m.hostPortEnd}` : ''}
                      </button>
                    </td>
                    <td className={m.redirect ? undefined : 'mono'}>{mappingTargetText(m)}</td>
                    <td>{m.redirect ? 'this host' : ifName(m.targetInterface)}</td>
                    <td>
                      <OwnerBadge owner={m.owner} />
                    </td>
                    <td className="ctl-actions-cell">
                      {mine ? (
                        <button type="button" className="ctl-link" onClick={() => (setAdding(false), setEditing(editing === m ? null : m))} disabled={!ruleId} aria-label={`edit ${text}`}>
                          Edit
                        </button>
                      ) : null}
                      {mine ? (
                        <button type="button" className="ctl-danger-btn" onClick={() => remove(m)} disabled={!ruleId} aria-label={`delete ${text}`} title={ruleId ? `Delete (rule.remove ${ruleId})` : 'The snapshot gives no netloom rule id for this mapping (a helper from before issue 12): reload after updating netloom.'}>
                          Delete
                        </button>
                      ) : (
                        <button type="button" className="ctl-link" onClick={() => setOpen(open === key ? null : key)} aria-expanded={open === key} aria-label={`who owns ${text}`}>
                          read-only
                        </button>
                      )}
                    </td>
                  </tr>
                  {open === key ? (
                    <tr className="ctl-owner-row">
                      <td colSpan={6}>{ownerSentence(m)}</td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </SidePanel>
  );
}
