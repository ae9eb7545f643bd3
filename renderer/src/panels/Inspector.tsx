import type { Snapshot } from '../../../protocol/src/index.js';
import { portMappingId } from '../graph/labels.js';
import { InterfaceInspector } from './InterfaceInspector.js';
import { NamespaceInspector } from './NamespaceInspector.js';
import { PortMappingInspector } from './PortMappingInspector.js';
import { SelectionActions } from '../control/SelectionActions.js';
import { SidePanel } from '../app/SidePanel.js';

interface Props {
  snapshot: Snapshot;
  selected: string;
  onGo: (id: string) => void;
  onClose: () => void;
  onShowRules: (nsId: string) => void;
}

/** The right-hand panel for whatever is selected. */
export function Inspector({ snapshot, selected, onGo, onClose, onShowRules }: Props) {
  const iface = snapshot.interfaces.find((i) => i.id === selected);
  const ns = iface ? undefined : snapshot.namespaces.find((n) => n.id === selected);
  const pm = iface || ns ? undefined : snapshot.portMappings.find((m) => portMappingId(m) === selected);
  return (
    <SidePanel className="inspector" label="inspector" onClose={onClose}>
      {iface ? <InterfaceInspector iface={iface} snapshot={snapshot} onGo={onGo} actions={<SelectionActions snapshot={snapshot} selected={selected} />} /> : null}
      {ns ? <NamespaceInspector ns={ns} snapshot={snapshot} onGo={onGo} onShowRules={onShowRules} actions={<SelectionActions snapshot={snapshot} selected={selected} />} /> : null}
      {pm ? <PortMappingInspector pm={pm} snapshot={snapshot} onGo={onGo} /> : null}
      {!iface && !ns && !pm ? <p className="empty">This item is no longer in the snapshot.</p> : null}
    </SidePanel>
  );
}
