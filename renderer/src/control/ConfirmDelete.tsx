/** "Delete X?" with the list of what goes with it, inline in the inspector. */
export function ConfirmDelete({ what, consequences, note, onConfirm, onCancel }: { what: string; consequences: string[]; note?: string | undefined; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="ctl-confirm" role="alertdialog" aria-label={`delete ${what}`}>
      <p>
        <strong>Delete {what}?</strong> {consequences.length ? 'This also removes:' : 'Nothing else goes with it.'}
      </p>
      {consequences.length ? (
        <ul>
          {consequences.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
      {note ? <p className="ctl-confirm-note">{note}</p> : null}
      <div className="ctl-buttons">
        <button type="button" onClick={onCancel}>
          Keep it
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          Add deletion to plan
        </button>
      </div>
    </div>
  );
}
