import { useId } from 'react';
import type { ReactNode } from 'react';

interface Props {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  placeholder?: string;
  hint?: ReactNode;
  list?: string;
  mono?: boolean;
  autoFocus?: boolean;
  width?: string;
}

/** A labelled text input with its error sentence right under it (aria-describedby). */
export function Field({ label, value, onChange, error, placeholder, hint, list, mono = true, autoFocus, width }: Props) {
  const id = useId();
  return (
    <div className={`ctl-field${error ? ' has-error' : ''}`} style={width ? { flexBasis: width } : undefined}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={mono ? 'mono' : undefined}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        list={list}
        autoFocus={autoFocus}
        spellCheck={false}
      />
      {error ? (
        <span id={`${id}-err`} className="ctl-field-error" role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="ctl-hint">{hint}</span>
      ) : null}
    </div>
  );
}

export function SelectField({ label, value, onChange, options }: { label: string; value: string; onChange: (v: string) => void; options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className="ctl-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A form's footer: Cancel, and the submit button saying what it does. */
export function FormButtons({ onCancel, submit }: { onCancel: () => void; submit: string }) {
  return (
    <div className="ctl-buttons">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary">
        {submit}
      </button>
    </div>
  );
}
