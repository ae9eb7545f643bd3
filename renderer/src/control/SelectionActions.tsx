import type { Snapshot } from '../../../protocol/src/index.js';
import { InterfaceActions } from './InterfaceActions.js';
import { NamespaceActions } from './NamespaceActions.js';
import './control.css';

/** The inspector's "Change" section for whatever is selected (nothing for port mappings). */
export function SelectionActions({ snapshot, selected }: { snapshot: Snapshot; selected: string }) {
  const iface = snapshot.interfaces.find((i) => i.id === selected);
  if (iface) return <InterfaceActions key={iface.id} iface={iface} snapshot={snapshot} />;
  const ns = snapshot.namespaces.find((n) => n.id === selected);
  if (ns) return <NamespaceActions key={ns.id} ns={ns} snapshot={snapshot} />;
  return null;
}
