import { useEffect, useState } from 'react';
import type { CapturePacket, HelperClient, PacketDetailNode } from '../../../protocol/src/index.js';
import { errorText } from './capture-session.js';
import { fromBase64, hexLines } from './bytes.js';
import { FullDecode } from './FullDecode.js';

interface Props {
  client: () => HelperClient | null;
  stream: number | string;
  n: number;
  onFollow: (n: number) => void;
}

/** The selected packet: its decode as a tree and its bytes; a node highlights its bytes. */
export function PacketDetails({ client, stream, n, onFollow }: Props) {
  const [pkt, setPkt] = useState<{ packet: CapturePacket; bytes: Uint8Array } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [range, setRange] = useState<{ offset: number; length: number } | null>(null);
  const [full, setFull] = useState(false);
  useEffect(() => {
    let live = true;
    setError(null);
    setRange(null);
    const c = client();
    if (!c) return setError('Not connected to the helper.');
    c.call('capture.packet', { stream, n }).then(
      (packet) => live && setPkt({ packet, bytes: fromBase64(packet.bytes) }),
      (e: unknown) => live && (setPkt(null), setError((e as { code?: string }).code === 'not_found' ? `Packet ${n} is no longer in the capture's memory (the oldest packets are let go).` : errorText(e))),
    );
    return () => {
      live = false;
    };
  }, [client, stream, n]);
  if (error) return <div className="pkt-details"><p className="insp-error">{error}</p></div>;
  if (!pkt || pkt.packet.summary.n !== n) return <div className="pkt-details"><p className="empty">Loading packet {n}…</p></div>;
  const isTcp = pkt.packet.summary.proto.toUpperCase().startsWith('TCP') || pkt.packet.tree.some((t) => /^Transmission Control|^TCP/i.test(t.label));
  return (
    <div className="pkt-details" aria-label={`packet ${n} details`}>
      <div className="pkt-tree-wrap">
        <div className="pkt-details-bar">
          <strong>Packet {n}</strong>
          <span className="dim">{pkt.bytes.length} bytes captured</span>
          {isTcp ? (
            <button type="button" className="mini-btn" onClick={() => onFollow(n)} aria-label="follow TCP stream">
              Follow TCP stream
            </button>
          ) : null}
          <button type="button" className="mini-btn" onClick={() => setFull(true)} aria-label="full decode with tshark">
            Full decode
          </button>
        </div>
        <ul className="pkt-tree" role="tree" aria-label="packet decode">
          {pkt.packet.tree.map((node, i) => (
            <TreeNode key={i} node={node} onPick={setRange} depth={1} />
          ))}
        </ul>
      </div>
      <HexDump bytes={pkt.bytes} range={range} />
      {full ? <FullDecode client={client} stream={stream} n={n} onClose={() => setFull(false)} /> : null}
    </div>
  );
}

function TreeNode({ node, onPick, depth }: { node: PacketDetailNode; onPick: (r: { offset: number; length: number } | null) => void; depth: number }) {
  const [open, setOpen] = useState(false);
  const kids = node.children ?? [];
  const pick = () => onPick(node.offset !== undefined && node.length !== undefined ? { offset: node.offset, length: node.length } : null);
  return (
    <li role="treeitem" aria-expanded={kids.length ? open : undefined} aria-level={depth} aria-selected={false}>
      <button
        type="button"
        className="tree-label"
        onClick={() => {
          pick();
          if (kids.length) setOpen((o) => !o);
        }}
      >
        <span className="tree-twisty" aria-hidden="true">{kids.length ? (open ? '▾' : '▸') : ''}</span>
        {node.label}
      </button>
      {open && kids.length ? (
        <ul role="group">
          {kids.map((k, i) => (
            <TreeNode key={i} node={k} onPick={onPick} depth={depth + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function HexDump({ bytes, range }: { bytes: Uint8Array; range: { offset: number; length: number } | null }) {
  const inRange = (i: number) => range !== null && i >= range.offset && i < range.offset + range.length;
  return (
    <pre className="hex-dump" aria-label="packet bytes">
      {hexLines(bytes).map((l) => (
        <div key={l.offset} className="hex-line">
          <span className="hex-off">{l.offset.toString(16).padStart(4, '0')}</span>
          <span className="hex-bytes">
            {l.hex.map((h) => (
              <span key={h.index} className={inRange(h.index) ? 'hl' : undefined}>
                {h.text}
              </span>
            ))}
          </span>
          <span className="hex-ascii">{l.ascii}</span>
        </div>
      ))}
    </pre>
  );
}
