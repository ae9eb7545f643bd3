import { useState } from 'react';
import type { HostEntry, HostTarget } from '../../../protocol/src/index.js';
import { Dialog } from '../control/Dialog.js';
import { Field, FormButtons } from '../control/Field.js';
import { checkAddHost, errorsFromServer, type AddHostErrors } from './add-host-form.js';

interface Props {
  onCanvas: readonly HostEntry[];
  /** Sends hosts.add; rejects with the router's error (code, message, path). */
  add: (target: HostTarget) => Promise<void>;
  onClose: () => void;
}

/**
 * "Add host…" (issue 14): where ssh reaches the host and, optionally, its name on the canvas.
 * Checked with the protocol's HostTarget before anything is sent; a problem stays under its
 * field and nothing changes. netloom uses the user's own ssh (keys, agent, known_hosts).
 */
export function AddHostDialog({ onCanvas, add, onClose }: Props) {
  const [destination, setDestination] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<AddHostErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    const checked = checkAddHost(destination, name, onCanvas);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    try {
      await add(checked.target);
      onClose();
    } catch (e) {
      const err = e as { message?: string; path?: string };
      setErrors(errorsFromServer({ message: err.message ?? String(e), ...(err.path !== undefined ? { path: err.path } : {}) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Add host" onClose={onClose}>
      <form
        className="ctl-form add-host"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field
          label="Destination"
          value={destination}
          onChange={(v) => (setDestination(v), setErrors({}))}
          error={errors.destination}
          placeholder="user@host, host:2222 or an ssh config alias"
          hint="reached with your own ssh: your keys, agent, config and known_hosts"
          autoFocus
        />
        <Field label="Name on the canvas (optional)" value={name} onChange={(v) => (setName(v), setErrors({}))} error={errors.name} placeholder="the host part" />
        {errors.form ? (
          <p className="ctl-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <p className="add-host-note">The helper runs there as root for this session (sudo asks here if it wants your password; nothing is stored) and is removed when the host is removed.</p>
        <FormButtons onCancel={onClose} submit={busy ? 'Adding…' : 'Add host'} />
      </form>
    </Dialog>
  );
}
