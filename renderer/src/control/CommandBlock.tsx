import { useState } from 'react';

/** A command exactly as the helper will run it, selectable, with a copy button. */
export function CommandBlock({ command, label }: { command: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(command).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1200);
      },
      () => {},
    );
  };
  return (
    <div className="ctl-cmd">
      <pre aria-label={label}>{command}</pre>
      <button type="button" className="ctl-copy" onClick={copy} aria-label={`copy ${label}`} title="Copy">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
