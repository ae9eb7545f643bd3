import { useId } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { Field } from '../control/Field.js';
import { hostSuffix } from '../graph/build-hosts.js';
import { namespaceName } from '../graph/labels.js';
import type { EndpointFields, ExplainForm, FormField } from './endpoint-form.js';

interface Props {
  snapshot: Snapshot;
  form: ExplainForm;
  onChange: (form: ExplainForm) => void;
  onSubmit: () => void;
  /** Fills source and destination from the two selected nodes; null when two are not selected. */
  onFromSelection: (() => void) | null;
  errors: Partial<Record<FormField, string>>;
  busy: boolean;
}

const SRC_KINDS = [
  { value: 'ns', label: 'a namespace' },
  { value: 'address', label: 'an outside address' },
];
const DST_KINDS = [...SRC_KINDS, { value: 'hostPort', label: 'a host port' }];

/** Source, destination, protocol and port — every control labelled for screen readers and tests. */
export function ExplainFormView({ snapshot, form, onChange, onSubmit, onFromSelection, errors, busy }: Props) {
  const side = (which: 'src' | 'dst') => (patch: Partial<EndpointFields>) => {
    const kindChanged = patch.kind !== undefined && patch.kind !== form[which].kind;
    // An address typed for one kind (an outside address) means nothing for another (a namespace's own).
    const next = { ...form, [which]: { ...form[which], ...(kindChanged ? { ip: '', port: '' } : {}), ...patch } };
    // A host port is reached over TCP or UDP, never by ping; leaving it, ping again unless a port was typed.
    if (which === 'dst' && patch.kind === 'hostPort' && form.proto === 'icmp') next.proto = 'tcp';
    if (which === 'dst' && kindChanged && form.dst.kind === 'hostPort' && form.port.trim() === '') next.proto = 'icmp';
    onChange(next);
  };
  const portForDst = form.dst.kind === 'hostPort';
  return (
    <form
      className="ex-form"
      aria-label="explain a path"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <EndpointFieldset title="From" who="Source" fields={form.src} kinds={SRC_KINDS} snapshot={snapshot} onChange={side('src')} errors={{ ns: errors['src.ns'], ip: errors['src.ip'] }} />
      <EndpointFieldset title="To" who="Destination" fields={form.dst} kinds={DST_KINDS} snapshot={snapshot} onChange={side('dst')} errors={{ ns: errors['dst.ns'], ip: errors['dst.ip'], port: errors['dst.port'] }} />
      <div className="ex-row">
        <Select label="Protocol" value={form.proto} options={['icmp', 'tcp', 'udp'].map((p) => ({ value: p, label: p === 'icmp' ? 'ICMP (ping)' : p.toUpperCase() }))} onChange={(v) => onChange({ ...form, proto: v as ExplainForm['proto'] })} />
        {form.proto !== 'icmp' && !portForDst ? <Field label="Port" value={form.port} onChange={(port) => onChange({ ...form, port })} placeholder="80" error={errors.port} width="90px" /> : null}
      </div>
      <div className="ex-row-end">
        <button type="button" className="ex-btn" onClick={onFromSelection ?? undefined} disabled={!onFromSelection} title="Select two namespaces or interfaces on the canvas (Ctrl+click), then use them as source and destination">
          From selection
        </button>
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Explaining…' : 'Explain'}
        </button>
      </div>
    </form>
  );
}

interface FieldsetProps {
  title: string;
  who: 'Source' | 'Destination';
  fields: EndpointFields;
  kinds: { value: string; label: string }[];
  snapshot: Snapshot;
  onChange: (patch: Partial<EndpointFields>) => void;
  errors: { ns?: string | undefined; ip?: string | undefined; port?: string | undefined };
}

function EndpointFieldset({ title, who, fields, kinds, snapshot, onChange, errors }: FieldsetProps) {
  // Several hosts: "host" and "host on hostb" (build-hosts.ts), as the canvas names them.
  const nsOptions = [{ value: '', label: '— pick —' }, ...snapshot.namespaces.map((n) => ({ value: n.id, label: (n.kind === 'host' || n.kind === 'named' ? namespaceName(n) : `${namespaceName(n)} (${n.kind})`) + hostSuffix(n.id) }))];
  return (
    <fieldset>
      <legend>{title}</legend>
      <Select label={`${who} is`} value={fields.kind} options={kinds} onChange={(v) => onChange({ kind: v as EndpointFields['kind'] })} />
      {fields.kind === 'ns' ? (
        <>
          <Select label={`${who} namespace`} value={fields.ns} options={nsOptions} onChange={(ns) => onChange({ ns })} error={errors.ns} />
          <Field label={`${who} address (optional)`} value={fields.ip} onChange={(ip) => onChange({ ip })} placeholder="its first address" error={errors.ip} />
        </>
      ) : null}
      {fields.kind === 'address' ? <Field label={`${who} address`} value={fields.ip} onChange={(ip) => onChange({ ip })} placeholder="198.51.100.7" error={errors.ip ?? errors.ns} /> : null}
      {fields.kind === 'hostPort' ? (
        <>
          <Field label="Host port" value={fields.port} onChange={(port) => onChange({ port })} placeholder="8080" error={errors.port} width="90px" />
          <Field label="Host address (optional)" value={fields.ip} onChange={(ip) => onChange({ ip })} placeholder="the uplink's" error={errors.ip} />
        </>
      ) : null}
    </fieldset>
  );
}

/** A labelled select with its error under it (Field's twin for choices). */
function Select({ label, value, options, onChange, error }: { label: string; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void; error?: string | undefined }) {
  const id = useId();
  return (
    <div className={`ctl-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <span id={`${id}-err`} className="ctl-field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
