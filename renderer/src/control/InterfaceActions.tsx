import { useState } from 'react';
import type { Interface, Snapshot } from '../../../protocol/src/index.js';
import { Cidr, IfName } from '../../../protocol/src/index.js';
import { check } from './check.js';
import { ConfirmDelete } from './ConfirmDelete.js';
import { interfaceDeletionEffects } from './deletion-effects.js';
import { describeIntent } from './describe-intent.js';
import { InlineAdd } from './InlineAdd.js';
import { nsRefOf } from './ns-ref.js';
import { QueuedNote } from './QueuedNote.js';
import { useControlStore } from './use-control.js';
import type { Intent } from '../../../protocol/src/index.js';

function mtuError(v: string): string | undefined {
  if (!/^\d+$/.test(v)) return 'The MTU is a whole number (68–65535).';
  const n = Number(v);
  return n < 68 || n > 65535 ? `The MTU must be 68–65535 (${v} is out of range).` : undefined;
}

/** Changes to one interface, each queued as an intent (nothing runs from here). */
export function InterfaceActions({ iface, snapshot }: { iface: Interface; snapshot: Snapshot }) {
  const store = useControlStore();
  const [confirm, setConfirm] = useState(false);
  const [queued, setQueued] = useState(0);
  const ns = nsRefOf(snapshot, iface.ns);
  const at = ns === undefined ? {} : { ns };
  const q = (intent: Intent) => {
    store.queue(intent, describeIntent(intent));
    setQueued((n) => n + 1);
  };
  const master = iface.master ? snapshot.interfaces.find((i) => i.id === iface.master) : undefined;
  const bridges = snapshot.interfaces.filter((i) => i.ns === iface.ns && i.kind === 'bridge' && i.id !== iface.id);
  const [bridge, setBridge] = useState('');
  const pick = bridge || bridges[0]?.name || '';
  return (
    <section className="insp-section ctl-actions" aria-label="change">
      <h3>Change</h3>
      <div className="ctl-btn-row">
        <button type="button" onClick={() => q({ op: 'link.set', name: iface.name, ...at, up: !iface.up })}>
          {iface.up ? 'Bring down' : 'Bring up'}
        </button>
        {iface.kind !== 'bridge' && iface.kind !== 'loopback' ? (
          master ? (
            <button type="button" onClick={() => q({ op: 'link.set', name: iface.name, ...at, master: null })}>
              Unplug from {master.name}
            </button>
          ) : bridges.length ? (
            <span className="ctl-join">
              <select aria-label="bridge to plug into" value={pick} onChange={(e) => setBridge(e.target.value)}>
                {bridges.map((b) => (
                  <option key={b.id} value={b.name}>
                    {b.name}
                  </option>
                ))}
              </select>
              <button type="button" onClick={() => q({ op: 'link.set', name: iface.name, ...at, master: pick })}>
                Plug into bridge
              </button>
            </span>
          ) : null
        ) : null}
        {iface.kind !== 'loopback' ? (
          <button type="button" className="ctl-danger-btn" onClick={() => setConfirm(true)}>
            Delete…
          </button>
        ) : null}
      </div>
      {confirm ? (
        <ConfirmDelete
          what={`interface ${iface.name}`}
          consequences={interfaceDeletionEffects(snapshot, iface)}
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            q({ op: 'link.delete', name: iface.name, ...at });
          }}
        />
      ) : null}
      {iface.addresses.length ? (
        <ul className="ctl-addr-list" aria-label="addresses to remove">
          {iface.addresses.map((a) => (
            <li key={a}>
              <span className="mono">{a}</span>
              <button type="button" className="ctl-link" onClick={() => q({ op: 'addr.delete', dev: iface.name, cidr: a, ...at })} aria-label={`remove address ${a}`}>
                remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <InlineAdd label="Add address" button="Add" placeholder="10.0.0.2/24" validate={(v) => check(Cidr, v, 'the address')} onAdd={(cidr) => q({ op: 'addr.add', dev: iface.name, cidr, ...at })} />
      <InlineAdd label="MTU" button="Set MTU" initial={String(iface.mtu)} validate={mtuError} onAdd={(v) => q({ op: 'link.set', name: iface.name, ...at, mtu: Number(v) })} />
      {iface.kind !== 'loopback' ? (
        <InlineAdd label="Rename" button="Rename" placeholder={iface.name} validate={(v) => (v === iface.name ? 'That is its name already.' : check(IfName, v))} onAdd={(rename) => q({ op: 'link.set', name: iface.name, ...at, rename })} />
      ) : null}
      <QueuedNote count={queued} />
    </section>
  );
}
