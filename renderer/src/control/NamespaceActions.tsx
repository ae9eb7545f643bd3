import { useState } from 'react';
import type { Intent, Namespace, Snapshot } from '../../../protocol/src/index.js';
import { IfName, isCidr, isIPv4, isIPv6 } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import { check } from './check.js';
import { ConfirmDelete } from './ConfirmDelete.js';
import { namespaceDeletionEffects, namespaceDeletionNote } from './deletion-effects.js';
import { describeIntent } from './describe-intent.js';
import { Field, SelectField } from './Field.js';
import { InlineAdd } from './InlineAdd.js';
import { nsRef } from './ns-ref.js';
import { QueuedNote } from './QueuedNote.js';
import { useControlStore } from './use-control.js';

/** Changes to one namespace: forwarding, routes, a bridge in it, deleting it. */
export function NamespaceActions({ ns, snapshot }: { ns: Namespace; snapshot: Snapshot }) {
  const store = useControlStore();
  const [queued, setQueued] = useState(0);
  const [confirm, setConfirm] = useState(false);
  const ref = nsRef(ns);
  const at = ref === undefined ? {} : { ns: ref };
  const q = (intent: Intent) => {
    store.queue(intent, describeIntent(intent));
    setQueued((n) => n + 1);
  };
  const ifaces = snapshot.interfaces.filter((i) => i.ns === ns.id);
  const ifName = (id: string | null) => (id ? snapshot.interfaces.find((i) => i.id === id)?.name : undefined);
  const routes = snapshot.routes.filter((r) => r.ns === ns.id && r.table === 'main' && r.protocol !== 'kernel' && (r.type ?? 'unicast') === 'unicast');
  return (
    <section className="insp-section ctl-actions" aria-label="change">
      <h3>Change</h3>
      <div className="ctl-btn-row">
        <button type="button" onClick={() => q({ op: 'forwarding.set', enabled: ns.ipForward !== true, ...at })}>
          {ns.ipForward ? 'Turn forwarding off' : 'Turn forwarding on'}
        </button>
        {ns.kind === 'named' && ns.name ? (
          <button type="button" className="ctl-danger-btn" onClick={() => setConfirm(true)}>
            Delete namespace…
          </button>
        ) : null}
      </div>
      {confirm && ns.name ? (
        <ConfirmDelete
          what={`namespace ${namespaceName(ns)}`}
          consequences={namespaceDeletionEffects(snapshot, ns)}
          note={namespaceDeletionNote(ns)}
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            if (ns.name) q({ op: 'netns.delete', name: ns.name });
          }}
        />
      ) : null}
      {routes.length ? (
        <ul className="ctl-addr-list" aria-label="routes to remove">
          {routes.map((r, k) => {
            const dev = ifName(r.dev);
            const text = `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${dev ? ` dev ${dev}` : ''}`;
            return (
              <li key={k}>
                <span className="mono">{text}</span>
                <button
                  type="button"
                  className="ctl-link"
                  aria-label={`remove route ${text}`}
                  onClick={() => q({ op: 'route.delete', dst: r.dst, ...(r.gateway ? { via: r.gateway } : {}), ...(dev ? { dev } : {}), ...at })}
                >
                  remove
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <RouteForm devs={ifaces.map((i) => i.name)} onAdd={(r) => q({ op: 'route.add', ...r, ...at })} />
      <InlineAdd label="New bridge here" button="Create bridge" placeholder="br0" validate={(v) => check(IfName, v)} onAdd={(name) => q({ op: 'bridge.create', name, ...at })} />
      <QueuedNote count={queued} />
    </section>
  );
}

function RouteForm({ devs, onAdd }: { devs: string[]; onAdd: (r: { dst: string; via?: string; dev?: string }) => void }) {
  const [dst, setDst] = useState('default');
  const [via, setVia] = useState('');
  const [dev, setDev] = useState('');
  const [err, setErr] = useState<{ dst?: string; via?: string }>({});
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const d = dst.trim();
    const v = via.trim();
    const errors: { dst?: string; via?: string } = {};
    if (d !== 'default' && !isCidr(d)) errors.dst = 'Write “default” or a CIDR such as 10.1.0.0/16.';
    if (v !== '' && !isIPv4(v) && !isIPv6(v)) errors.via = `“${v}” is not an IP address.`;
    if (v === '' && dev === '') errors.via = 'Give a gateway (via) or pick a device.';
    if (errors.dst || errors.via) return setErr(errors);
    onAdd({ dst: d, ...(v ? { via: v } : {}), ...(dev ? { dev } : {}) });
    setVia('');
  };
  return (
    <form className="ctl-inline ctl-route" onSubmit={submit} aria-label="add route" noValidate>
      <Field label="Route to" value={dst} onChange={(x) => (setDst(x), setErr({}))} error={err.dst} placeholder="default" />
      <Field label="via" value={via} onChange={(x) => (setVia(x), setErr({}))} error={err.via} placeholder="10.0.0.1" />
      <SelectField label="dev" value={dev} onChange={setDev} options={[{ value: '', label: '(any)' }, ...devs.map((d) => ({ value: d, label: d }))]} />
      <button type="submit">Add route</button>
    </form>
  );
}
