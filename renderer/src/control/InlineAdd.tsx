import { useState } from 'react';
import { Field } from './Field.js';

/** One text field and a button: the value is checked, then handed on and cleared. */
export function InlineAdd({ label, button, placeholder, validate, onAdd, initial = '' }: { label: string; button: string; placeholder?: string; validate: (v: string) => string | undefined; onAdd: (v: string) => void; initial?: string }) {
  const [v, setV] = useState(initial);
  const [err, setErr] = useState<string | undefined>();
  const go = (e: React.FormEvent) => {
    e.preventDefault();
    const bad = validate(v.trim());
    if (bad) return setErr(bad);
    onAdd(v.trim());
    setV(initial);
  };
  return (
    <form className="ctl-inline" onSubmit={go} noValidate>
      <Field label={label} value={v} onChange={(x) => (setV(x), setErr(undefined))} error={err} placeholder={placeholder} />
      <button type="submit">{button}</button>
    </form>
  );
}
