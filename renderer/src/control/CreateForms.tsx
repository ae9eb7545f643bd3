import { useState } from 'react';
import type { Intent } from '../../../protocol/src/index.js';
import { Cidr4, IfName, NetnsName, OutDev } from '../../../protocol/src/index.js';
import { check } from './check.js';
import { describeIntent } from './describe-intent.js';
import { Field, SelectField } from './Field.js';
import { refOrUndefined } from './ns-options.js';

export type CreateKind = 'namespace' | 'bridge' | 'veth' | 'masquerade';

interface FormProps {
  nsOptions: { value: string; label: string }[];
  defaultNs?: string;
  /** Prefilled fields by key (name, ns, aName, aNs, bName, bNs, source, outDev). */
  defaults?: Record<string, string>;
  onQueue: (intent: Intent, label: string) => void;
  onCancel: () => void;
}

const withNs = <T extends object>(o: T, ns: string): T & { ns?: string } => (refOrUndefined(ns) === undefined ? o : { ...o, ns });

/** The body of the "New …" dialog: fields checked with the protocol's own schemas. */
export function CreateForm({ kind, ...p }: FormProps & { kind: CreateKind }) {
  const [v, setV] = useState<Record<string, string>>({ ns: p.defaultNs ?? '', aNs: '', bNs: p.defaultNs ?? '', ...p.defaults });
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const val = (k: string) => v[k] ?? '';
  const field = (k: string, label: string, extra: { placeholder?: string; hint?: string; autoFocus?: boolean } = {}) => (
    <Field label={label} value={val(k)} onChange={(x) => (setV({ ...v, [k]: x }), setErrors({ ...errors, [k]: undefined }))} error={errors[k]} {...extra} />
  );
  const nsField = (k: string, label: string) => <SelectField label={label} value={val(k)} onChange={(x) => setV({ ...v, [k]: x })} options={p.nsOptions} />;

  const build = (): { intent?: Intent; errors: Record<string, string | undefined> } => {
    const t = (k: string) => val(k).trim();
    switch (kind) {
      case 'namespace': {
        const e = { name: check(NetnsName, t('name')) };
        return { intent: { op: 'netns.create', name: t('name') }, errors: e };
      }
      case 'bridge': {
        const e = { name: check(IfName, t('name')) };
        return { intent: withNs({ op: 'bridge.create' as const, name: t('name') }, val('ns')), errors: e };
      }
      case 'veth': {
        const e = { aName: check(IfName, t('aName')), bName: check(IfName, t('bName')) };
        if (!e.aName && !e.bName && t('aName') === t('bName') && val('aNs') === val('bNs')) e.bName = 'Both ends are in the same namespace: give them different names.';
        return { intent: { op: 'veth.create', a: withNs({ name: t('aName') }, val('aNs')), b: withNs({ name: t('bName') }, val('bNs')) }, errors: e };
      }
      case 'masquerade': {
        const e = { source: check(Cidr4, t('source'), 'the subnet'), outDev: t('outDev') ? check(OutDev, t('outDev'), 'the out interface') : undefined };
        const o: Intent = withNs({ op: 'nat.masquerade.add' as const, source: t('source') }, val('ns'));
        return { intent: t('outDev') ? { ...o, outDev: t('outDev') } : o, errors: e };
      }
    }
  };
  const submit = (ev: React.FormEvent) => {
    ev.preventDefault();
    const r = build();
    if (Object.values(r.errors).some(Boolean) || !r.intent) return setErrors(r.errors);
    p.onQueue(r.intent, describeIntent(r.intent));
  };
  return (
    <form className="ctl-form" onSubmit={submit} noValidate>
      {kind === 'namespace' ? field('name', 'Name', { placeholder: 'lab1', autoFocus: true, hint: 'ip netns add — letters, digits, “_”, “.”, “-”' }) : null}
      {kind === 'bridge' ? (
        <div className="ctl-row">
          {field('name', 'Bridge name', { placeholder: 'br0', autoFocus: true })}
          {nsField('ns', 'In namespace')}
        </div>
      ) : null}
      {kind === 'veth' ? (
        <>
          <div className="ctl-row">
            {field('aName', 'End A name', { placeholder: 'veth0', autoFocus: true })}
            {nsField('aNs', 'End A namespace')}
          </div>
          <div className="ctl-row">
            {field('bName', 'End B name', { placeholder: 'eth0' })}
            {nsField('bNs', 'End B namespace')}
          </div>
        </>
      ) : null}
      {kind === 'masquerade' ? (
        <div className="ctl-row">
          {field('source', 'Source subnet', { placeholder: '10.0.0.0/24', autoFocus: true })}
          {field('outDev', 'Out interface (optional)', { placeholder: 'eth0 or veth+' })}
          {nsField('ns', 'In namespace')}
        </div>
      ) : null}
      <div className="ctl-buttons">
        <button type="button" onClick={p.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Add to plan
        </button>
      </div>
    </form>
  );
}
