import { useMemo, useState } from 'react';
import type { Intent, Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import { describeIntent } from './describe-intent.js';
import { Field, SelectField, FormButtons } from './Field.js';
import { emptyPortmapForm, portmapIntent } from './portmap-form.js';
import type { PortmapErrors, PortmapForm as Form } from './portmap-form.js';
import { useControlStore } from './use-control.js';

const ip = (cidr: string) => cidr.split('/')[0] ?? cidr;
const v4 = (cidr: string) => /^\d+\.\d+\.\d+\.\d+\//.test(cidr);

interface Props {
  snapshot: Snapshot;
  onDone: () => void;
  /** Editing: the mapping as it is, and the rule.remove of its netloom rules, queued first. */
  initial?: Form;
  replacing?: { intent: Intent; label: string };
}

/** Add (or edit) a port mapping: checked here (ports, IPv4), then queued and previewed by the helper. */
export function PortMapForm({ snapshot, onDone, initial, replacing }: Props) {
  const store = useControlStore();
  const [f, setF] = useState<Form>(() => initial ?? emptyPortmapForm());
  const [errors, setErrors] = useState<PortmapErrors>({});
  const host = snapshot.namespaces.find((n) => n.kind === 'host');
  const hostAddrs = useMemo(() => snapshot.interfaces.filter((i) => i.ns === host?.id && i.kind !== 'loopback').flatMap((i) => i.addresses.filter(v4).map((a) => ({ ip: ip(a), name: i.name }))), [snapshot, host]);
  const targets = useMemo(
    () =>
      snapshot.interfaces
        .filter((i) => i.kind !== 'loopback')
        .flatMap((i) => {
          const ns = snapshot.namespaces.find((n) => n.id === i.ns);
          return i.addresses.filter(v4).map((a) => ({ ip: ip(a), where: `${i.name} in ${ns ? namespaceName(ns) : i.ns}` }));
        })
        // Addresses inside namespaces first: the usual target of a mapping.
        .sort((x, y) => Number(x.where.endsWith(' in host')) - Number(y.where.endsWith(' in host'))),
    [snapshot],
  );
  const set = (patch: Partial<Form>) => {
    setF((old) => ({ ...old, ...patch }));
    setErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(patch)) delete next[k as keyof PortmapErrors];
      return next;
    });
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const r = portmapIntent(f);
    if ('errors' in r) return setErrors(r.errors);
    // One plan: the old rules go and the new ones come in the same atomic restore per table.
    if (replacing) store.queue(replacing.intent, replacing.label);
    store.queue(r.intent, describeIntent(r.intent), { open: true });
    setF(emptyPortmapForm());
    onDone();
  };
  const target = targets.find((t) => t.ip === f.targetIp.trim());
  return (
    <form className="ctl-form" onSubmit={submit} aria-label={replacing ? 'edit port mapping' : 'new port mapping'} noValidate>
      <div className="ctl-row">
        <SelectField label="Protocol" value={f.proto} onChange={(v) => set({ proto: v === 'udp' ? 'udp' : 'tcp' })} options={[{ value: 'tcp', label: 'TCP' }, { value: 'udp', label: 'UDP' }]} />
        <SelectField
          label="Host address"
          value={f.hostIp}
          onChange={(v) => set({ hostIp: v })}
          options={[{ value: '', label: 'All addresses' }, ...hostAddrs.map((a) => ({ value: a.ip, label: `${a.ip} (${a.name})` })), { value: '127.0.0.1', label: '127.0.0.1 (this host only)' }]}
        />
        <Field label="Host port" value={f.hostPort} onChange={(v) => set({ hostPort: v })} error={errors.hostPort} placeholder="8080" width="110px" hint="or a range 8000-8010" />
      </div>
      <div className="ctl-row">
        <Field label="Target address" value={f.targetIp} onChange={(v) => set({ targetIp: v })} error={errors.targetIp} placeholder="10.0.0.2" list="ctl-target-ips" hint={target ? `on ${target.where}` : f.targetIp ? 'not on any interface here' : 'pick an interface address or type one'} />
        <Field label="Target port" value={f.targetPort} onChange={(v) => set({ targetPort: v })} error={errors.targetPort} placeholder="80" width="90px" />
      </div>
      {targets.length ? (
        <div className="ctl-targets" role="group" aria-label="interface addresses">
          {targets.slice(0, 12).map((t) => (
            <button key={`${t.ip} ${t.where}`} type="button" className={`ctl-chip${t.ip === f.targetIp.trim() ? ' is-on' : ''}`} onClick={() => set({ targetIp: t.ip })} aria-label={`target ${t.ip} (${t.where})`} title={t.where}>
              {t.ip}
            </button>
          ))}
        </div>
      ) : null}
      <datalist id="ctl-target-ips">
        {targets.map((t) => (
          <option key={`${t.ip} ${t.where}`} value={t.ip}>
            {t.where}
          </option>
        ))}
      </datalist>
      <label className="ctl-check">
        <input type="checkbox" checked={f.localAccess} onChange={(e) => set({ localAccess: e.target.checked })} />
        Reachable from this host too
      </label>
      <FormButtons onCancel={onDone} submit="Preview mapping" />
    </form>
  );
}
