import type React from 'react';
import { badgeRuns } from './badge-runs.js';
import type { PathMark } from './path-marks.js';
import { usePathMark } from './use-explain.js';
import './explain.css';

/** Classes for a node on the explained path: request/response colour, red where it is dropped. */
export function pathNodeClass(m: PathMark | undefined): string {
  if (!m) return '';
  return ` ex-on exv-${m.verdict}${m.request ? ' ex-req' : ''}${m.response ? ' ex-resp' : ''}${m.blocked ? ' ex-blocked' : ''}${m.real ? ` ex-real ex-real-${m.real}` : ''}`;
}

/** Hop numbers as small badges on the node's corner, a stop marker where the packet is dropped, a flag where a traced probe was decided for real. */
export function PathBadges({ mark }: { mark: PathMark | undefined }) {
  if (!mark || (mark.badges.length === 0 && !mark.blocked && !mark.real)) return null;
  const real = mark.real ? `, ${mark.real === 'drop' ? 'dropped' : 'let through'} here for real (nftables trace)` : '';
  const label = `path hops ${mark.badges.map((b) => b.text).join(', ')}${mark.blocked ? ', dropped here' : ''}${real}`;
  return (
    <div className="ex-badges" role="note" aria-label={label}>
      {mark.real ? (
        <span className={`ex-real-flag ex-real-${mark.real}`} aria-hidden="true" title={`decided here for real: the nftables trace of the probe`}>
          ⚑
        </span>
      ) : null}
      {mark.blocked ? (
        <span className="ex-stop" aria-hidden="true">
          ✕
        </span>
      ) : null}
      {badgeRuns(mark.badges).map((b, k) => (
        <span key={`${b.text}-${k}`} className={`ex-badge ex-badge-${b.role}${b.blocked ? ' is-blocked' : ''}`} aria-hidden="true">
          {b.text}
        </span>
      ))}
    </div>
  );
}

/** For node components: the node's own mark (subscribes to its id only). */
export function usePathNode(id: string): { className: string; badges: React.JSX.Element | null } {
  const mark = usePathMark(id);
  return { className: pathNodeClass(mark), badges: mark ? <PathBadges mark={mark} /> : null };
}

/** Drawn over a veth or bridge-port edge the path passes: request and response as separate strokes. */
export function PathEdgeOverlay({ id, path }: { id: string; path: string }) {
  const m = usePathMark(id);
  if (!m) return null;
  return (
    <g className={`ex-edge exv-${m.verdict}`} aria-hidden="true">
      {m.request ? <path d={path} className="ex-edge-req" fill="none" /> : null}
      {m.response ? <path d={path} className={`ex-edge-resp${m.request ? ' ex-both' : ''}`} fill="none" /> : null}
    </g>
  );
}
