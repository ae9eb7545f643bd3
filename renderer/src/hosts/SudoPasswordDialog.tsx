import { useId, useRef, useState } from 'react';
import type { HostEntry } from '../../../protocol/src/index.js';
import { Dialog } from '../control/Dialog.js';

interface Props {
  host: HostEntry;
  /** Hands the password over (null: cancel). The dialog keeps no copy once it is sent. */
  answer: (password: string | null) => Promise<void>;
}

/**
 * sudo on a remote host wants the user's password (issue 14). The field is the browser's own
 * password input, uncontrolled: the text lives in the DOM only until it is sent, then the field
 * is emptied; React state never holds it, and it is never logged or stored.
 */
export function SudoPasswordDialog({ host, answer }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [empty, setEmpty] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const send = (password: string | null): void => {
    if (input.current) input.current.value = '';
    answer(password).catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
  };
  const submit = (): void => {
    const value = input.current?.value ?? '';
    if (value === '') return setEmpty(true);
    send(value);
  };
  return (
    <Dialog title={`sudo password for ${host.name}`} onClose={() => send(null)}>
      <form
        className="ctl-form sudo-password"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p>
          sudo on <b>{host.destination ?? host.name}</b> needs your password to start netloom's helper as root. It is handed to sudo once and never kept.
        </p>
        {host.error ? (
          <p className="ctl-error" role="alert">
            {host.error}
          </p>
        ) : null}
        <div className={`ctl-field${empty ? ' has-error' : ''}`}>
          <label htmlFor={id}>Password</label>
          <input id={id} ref={input} type="password" autoComplete="off" autoFocus onChange={() => setEmpty(false)} aria-invalid={empty || undefined} aria-describedby={empty ? `${id}-err` : undefined} />
          {empty ? (
            <span id={`${id}-err`} className="ctl-field-error" role="alert">
              type the password, or Cancel
            </span>
          ) : null}
        </div>
        {failed ? <p className="ctl-error">{failed}</p> : null}
        <p className="add-host-note">
          Cancel leaves the host failed. To never be asked, let this user run sudo without a password there (NOPASSWD in sudoers: netloom checks with <code>sudo -n</code>).
        </p>
        <div className="ctl-buttons">
          <button type="button" onClick={() => send(null)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Send to sudo
          </button>
        </div>
      </form>
    </Dialog>
  );
}
