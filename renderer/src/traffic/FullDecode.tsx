import { useEffect, useState } from 'react';
import type { CaptureFullDecode, HelperClient } from '../../../protocol/src/index.js';
import { errorText } from './capture-session.js';
import { useEscapeToClose } from './use-escape.js';

interface Props {
  client: () => HelperClient | null;
  stream: number | string;
  n: number;
  onClose: () => void;
}

/** Wireshark's own decode of one packet (tshark -V -x in the helper), where tshark is installed. */
export function FullDecode({ client, stream, n, onClose }: Props) {
  const [data, setData] = useState<CaptureFullDecode | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEscapeToClose(onClose);
  useEffect(() => {
    let live = true;
    const c = client();
    if (!c) return setError('Not connected to the helper.');
    c.call('capture.fullDecode', { stream, n }).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client, stream, n]);
  return (
    <div className="follow" role="dialog" aria-label="full decode">
      <header>
        <strong>Full decode of packet {n}</strong>
        <span className="dim">tshark -V -x</span>
        <button type="button" className="panel-close" onClick={onClose} aria-label="close full decode">
          ×
        </button>
      </header>
      {error ? <p className="insp-error">{error}</p> : null}
      {!data && !error ? <p className="empty">Decoding with tshark…</p> : null}
      {data ? <pre className="follow-text">{data.available ? data.text : <span className="dim">{data.text}</span>}</pre> : null}
    </div>
  );
}
