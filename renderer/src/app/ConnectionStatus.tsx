import type { Connection } from '../store/topology-store.js';

/** connecting / live / disconnected (with the reason and when the next try is). */
export function ConnectionStatus({ connection, stale }: { connection: Connection; stale: boolean }) {
  const text =
    connection.state === 'live' ? 'live' : connection.state === 'connecting' ? 'connecting…' : `disconnected: ${connection.reason}${connection.retryAt ? ' — retrying' : ''}`;
  return (
    <div className={`conn conn-${connection.state}`} role="status" aria-label="connection">
      <span className="dot" aria-hidden="true" />
      <span className="conn-text">{text}</span>
      {connection.state === 'disconnected' && connection.resume ? (
        <button type="button" className="conn-resume" onClick={connection.resume}>
          Use netloom here
        </button>
      ) : null}
      {stale ? <span className="stale">picture may be out of date</span> : null}
    </div>
  );
}
