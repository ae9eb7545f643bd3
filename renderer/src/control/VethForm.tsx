import { useState } from 'react';
import type { Intent } from '../../../protocol/src/index.js';
import { Cidr, IfName } from '../../../protocol/src/index.js';
import { check } from './check.js';
import { describeIntent } from './describe-intent.js';
import { Field, SelectField, FormButtons } from './Field.js';
import type { NameBook } from './name-book.js';
import { refOrUndefined } from './ns-options.js';

export interface QueueItem {
  intent: Intent;
  label: string;
}

interface Props {
  nsOptions: { value: string; label: string }[];
  book: NameBook;
  /** Prefilled fields (aNs, bNs from a drag between two boxes). */
  defaults?: Record<string, string>;
  onQueue: (items: QueueItem[]) => void;
  onCancel: () => void;
}

type End = 'a' | 'b';
const END_NAME = { a: 'End A', b: 'End B' } as const;

/**
 * A usable veth pair in one go (issue 15): both ends named and placed, each optionally plugged
 * into a bridge of its namespace and given an address, both brought up — queued as the intents
 * of one plan, so one Apply makes it and one undo takes it all back.
 */
export function VethForm({ nsOptions, book, defaults = {}, onQueue, onCancel }: Props) {
  const [v, setV] = useState<Record<string, string>>({ aNs: '', bNs: '', aBridge: '', bBridge: '', ...defaults });
  const [up, setUp] = useState(true);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const val = (k: string) => v[k] ?? '';
  const set = (patch: Record<string, string>) => {
    setV({ ...v, ...patch });
    setErrors({ ...errors, ...Object.fromEntries(Object.keys(patch).map((k) => [k, undefined])) });
  };

  const end = (e: End) => {
    const ns = val(`${e}Ns`);
    const bridges = book.bridgesIn(ns);
    return (
      <fieldset className="ctl-end" key={e}>
        <legend>{END_NAME[e]}</legend>
        <div className="ctl-row">
          <Field label={`${END_NAME[e]} name`} value={val(`${e}Name`)} onChange={(x) => set({ [`${e}Name`]: x })} error={errors[`${e}Name`]} placeholder={e === 'a' ? 'veth0' : 'eth0'} autoFocus={e === 'a'} />
          {/* A bridge belongs to one namespace: moving the end forgets a bridge of the old one. */}
          <SelectField label={`${END_NAME[e]} namespace`} value={ns} onChange={(x) => set({ [`${e}Ns`]: x, ...(book.bridgesIn(x).includes(val(`${e}Bridge`)) ? {} : { [`${e}Bridge`]: '' }) })} options={nsOptions} />
        </div>
        <div className="ctl-row">
          <SelectField label={`${END_NAME[e]} bridge`} value={val(`${e}Bridge`)} onChange={(x) => set({ [`${e}Bridge`]: x })} options={[{ value: '', label: bridges.length ? 'none' : 'none (no bridge there)' }, ...bridges.map((b) => ({ value: b, label: b }))]} />
          <Field label={`${END_NAME[e]} address (optional)`} value={val(`${e}Addr`)} onChange={(x) => set({ [`${e}Addr`]: x })} error={errors[`${e}Addr`]} placeholder={e === 'a' ? '' : '10.0.0.2/24'} />
        </div>
      </fieldset>
    );
  };

  const build = (): { items?: QueueItem[]; errors: Record<string, string | undefined> } => {
    const t = (k: string) => val(k).trim();
    const e: Record<string, string | undefined> = {};
    for (const x of ['a', 'b'] as const) {
      e[`${x}Name`] = check(IfName, t(`${x}Name`)) ?? book.interfaceTaken(val(`${x}Ns`), t(`${x}Name`)) ?? undefined;
      if (t(`${x}Addr`)) e[`${x}Addr`] = check(Cidr, t(`${x}Addr`), 'the address');
    }
    if (!e.aName && !e.bName && t('aName') === t('bName') && val('aNs') === val('bNs')) e.bName = 'Both ends are in the same namespace: give them different names.';
    const withNs = <T extends object>(o: T, ns: string): T & { ns?: string } => (refOrUndefined(ns) === undefined ? o : { ...o, ns });
    const intents: Intent[] = [{ op: 'veth.create', a: withNs({ name: t('aName') }, val('aNs')), b: withNs({ name: t('bName') }, val('bNs')) }];
    for (const x of ['a', 'b'] as const) {
      const name = t(`${x}Name`);
      const bridge = val(`${x}Bridge`);
      if (bridge || up) intents.push(withNs({ op: 'link.set' as const, name, ...(bridge ? { master: bridge } : {}), ...(up ? { up: true } : {}) }, val(`${x}Ns`)));
      if (t(`${x}Addr`)) intents.push(withNs({ op: 'addr.add' as const, dev: name, cidr: t(`${x}Addr`) }, val(`${x}Ns`)));
    }
    return { items: intents.map((intent) => ({ intent, label: describeIntent(intent) })), errors: e };
  };

  const submit = (ev: React.FormEvent) => {
    ev.preventDefault();
    const r = build();
    if (Object.values(r.errors).some(Boolean) || !r.items) return setErrors(r.errors);
    onQueue(r.items);
  };
  return (
    <form className="ctl-form" onSubmit={submit} noValidate aria-label="new veth pair">
      {end('a')}
      {end('b')}
      <label className="ctl-check">
        <input type="checkbox" checked={up} onChange={(x) => setUp(x.target.checked)} /> Bring both ends up
      </label>
      <FormButtons onCancel={onCancel} submit="Add to plan" />
    </form>
  );
}
