import { useEffect, useState } from 'react';
import type { CaptureFollow, HelperClient } from '../../../protocol/src/index.js';
import { errorText } from './capture-session.js';
import { useEscapeToClose } from './use-escape.js';
import { fromBase64, printable } from './bytes.js';

/** One TCP conversation, both directions, client in one colour and server in another. */
export function FollowStream({ client, stream, n, onClose }: { client: () => HelperClient | null; stream: number | string; n: number; onClose: () => void }) {
  const [data, setData] = useState<CaptureFollow | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEscapeToClose(onClose);
  useEffect(() => {
    let live = true;
    const c = client();
    if (!c) return setError('Not connected to the helper.');
    c.call('capture.follow', { stream, n }).then(
      (f) => live && setData(f),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client, stream, n]);
  return (
    <div className="follow" role="dialog" aria-label="follow TCP stream">
      <header>
        <strong>Follow TCP stream</strong>
        {data ? (
          <span className="dim">
            <span className="from-client">{data.client}</span> → <span className="from-server">{data.server}</span> · {data.segments.length} segments{data.truncated ? ' · truncated at 512 KiB' : ''}
          </span>
        ) : null}
        <button type="button" className="panel-close" onClick={onClose} aria-label="close follow TCP stream">
          ×
        </button>
      </header>
      {error ? <p className="insp-error">{error}</p> : null}
      {!data && !error ? <p className="empty">Reassembling…</p> : null}
      {data ? (
        <pre className="follow-text">
          {data.segments.length === 0 ? <span className="dim">No payload in this conversation.</span> : null}
          {data.segments.map((s) => (
            <span key={s.n} className={s.fromClient ? 'from-client' : 'from-server'}>
              {printable(fromBase64(s.data))}
            </span>
          ))}
        </pre>
      ) : null}
    </div>
  );
}
