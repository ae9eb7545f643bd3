import { useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { CreateForm } from './CreateForms.js';
import { PortMapForm } from './PortMapForm.js';
import { emptyPortmapForm } from './portmap-form.js';
import { Dialog } from './Dialog.js';
import { nameBook } from './name-book.js';
import { nsOptions } from './ns-options.js';
import { useControl, useControlStore } from './use-control.js';
import './control.css';

const ITEMS: { kind: 'namespace' | 'bridge' | 'veth' | 'masquerade' | 'portmap'; label: string; title: string }[] = [
  { kind: 'namespace', label: 'Namespace…', title: 'New network namespace' },
  { kind: 'bridge', label: 'Bridge…', title: 'New bridge' },
  { kind: 'veth', label: 'Veth pair…', title: 'New veth pair' },
  { kind: 'masquerade', label: 'MASQUERADE for a subnet…', title: 'New MASQUERADE rule' },
  { kind: 'portmap', label: 'Port mapping…', title: 'New port mapping' },
];

/** Toolbar "New" menu: each item opens a small form whose result is queued, never run directly. */
export function NewMenu({ snapshot, onPortMapping }: { snapshot: Snapshot | null; onPortMapping: () => void }) {
  const store = useControlStore();
  const queue = useControl((s) => s.queue);
  const [menu, setMenu] = useState(false);
  const dialog = useControl((s) => s.dialog);
  const kind = dialog?.kind ?? null;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    const away = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setMenu(false);
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [menu]);
  const item = ITEMS.find((i) => i.kind === kind);
  return (
    <div className="ctl-menu-box" ref={box}>
      <button type="button" onClick={() => setMenu((m) => !m)} aria-haspopup="menu" aria-expanded={menu} disabled={!snapshot}>
        New ▾
      </button>
      {menu ? (
        <ul className="ctl-menu" role="menu" aria-label="new">
          {ITEMS.map((i) => (
            <li key={i.kind} role="none">
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  setMenu(false);
                  if (i.kind === 'portmap') onPortMapping();
                  else store.openDialog(i.kind);
                }}
              >
                {i.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {kind === 'portmap' && snapshot ? (
        <Dialog title="New port mapping" onClose={() => store.closeDialog()}>
          <PortMapForm snapshot={snapshot} initial={{ ...emptyPortmapForm(), targetIp: dialog?.defaults['targetIp'] ?? '' }} onDone={() => store.closeDialog()} />
        </Dialog>
      ) : kind && kind !== 'portmap' && item ? (
        <Dialog title={item.title} onClose={() => store.closeDialog()}>
          <CreateForm
            kind={kind}
            defaults={dialog?.defaults ?? {}}
            nsOptions={nsOptions(snapshot, queue)}
            book={nameBook(snapshot, queue.map((q) => q.intent))}
            onCancel={() => store.closeDialog()}
            onQueue={(items) => {
              store.queueAll(items, { open: true });
              store.closeDialog();
            }}
          />
        </Dialog>
      ) : null}
    </div>
  );
}
