/** A link to another node: clicking selects it and centres the canvas on it. */
export function NodeLink({ id, label, onGo }: { id: string; label: string; onGo: (id: string) => void }) {
  return (
    <button type="button" className="node-link" onClick={() => onGo(id)} aria-label={`go to ${label}`}>
      {label}
    </button>
  );
}
