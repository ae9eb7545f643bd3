import { useState } from 'react';
import type { Intent } from '../../../protocol/src/index.js';
import { Cidr4, IfName, NetnsName, OutDev } from '../../../protocol/src/index.js';
import { check } from './check.js';
import { describeIntent } from './describe-intent.js';
import { Field, SelectField, FormButtons } from './Field.js';
import type { NameBook } from './name-book.js';
import { refOrUndefined } from './ns-options.js';
import type { QueueItem } from './VethForm.js';
import { VethForm } from './VethForm.js';

export type CreateKind = 'namespace' | 'bridge' | 'veth' | 'masquerade';

interface FormProps {
  nsOptions: { value: string; label: string }[];
  /** Names already taken (on the host or in the plan): a duplicate is refused on its field. */
  book: NameBook;
  defaultNs?: string;
  /** Prefilled fields by key (name, ns, aName, aNs, bName, bNs, source, outDev). */
  defaults?: Record<string, string>;
  /** What the form asks for: one intent, or (a veth pair) several, queued as one plan. */
  onQueue: (items: QueueItem[]) => void;
  onCancel: () => void;
}

const withNs = <T extends object>(o: T, ns: string): T & { ns?: string } => (refOrUndefined(ns) === undefined ? o : { ...o, ns });

/** The body of the "New …" dialog: fields checked with the protocol's own schemas. */
export function CreateForm({ kind, ...p }: FormProps & { kind: CreateKind }) {
  if (kind === 'veth') return <VethForm nsOptions={p.nsOptions} book={p.book} defaults={p.defaults ?? {}} onQueue={p.onQueue} onCancel={p.onCancel} />;
  return <SimpleForm kind={kind} {...p} />;
}

function SimpleForm({ kind, ...p }: FormProps & { kind: Exclude<CreateKind, 'veth'> }) {
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
        const e = { name: check(NetnsName, t('name')) ?? p.book.namespaceTaken(t('name')) ?? undefined };
        return { intent: { op: 'netns.create', name: t('name') }, errors: e };
      }
      case 'bridge': {
        const e = { name: check(IfName, t('name')) ?? p.book.interfaceTaken(val('ns'), t('name')) ?? undefined };
        return { intent: withNs({ op: 'bridge.create' as const, name: t('name') }, val('ns')), errors: e };
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
    p.onQueue([{ intent: r.intent, label: describeIntent(r.intent) }]);
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
      {kind === 'masquerade' ? (
        <div className="ctl-row">
          {field('source', 'Source subnet', { placeholder: '10.0.0.0/24', autoFocus: true })}
          {field('outDev', 'Out interface (optional)', { placeholder: 'eth0 or veth+' })}
          {nsField('ns', 'In namespace')}
        </div>
      ) : null}
      <FormButtons onCancel={p.onCancel} submit="Add to plan" />
    </form>
  );
}
