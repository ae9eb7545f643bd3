import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
import type { Edge, EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { labelRate } from './counters-store.js';
import { humanRate, rateLevel } from './format-rate.js';
import { useCounterValue } from './traffic-context.js';
import { PathEdgeOverlay } from '../explain/PathOnNode.js';

export interface TrafficEdgeData extends Record<string, unknown> {
  /** The interface whose counters measure this link (one end of a veth, a bridge port). */
  counterId: string;
  /** false: drawn busy, but its rate is labelled elsewhere (a port that is also a veth end). */
  label?: boolean;
}
export type TrafficFlowEdge = Edge<TrafficEdgeData, 'traffic'>;

const WIDTH = [0, 2.4, 3.2, 4.4, 6] as const;

/**
 * A veth pair or bridge port drawn with its traffic: thicker and flowing when busy, with
 * the rate (both directions) as a small label. Subscribes to its own interface only, so
 * a counters tick re-renders just the edges whose label changed.
 */
function TrafficEdgeView(p: EdgeProps<TrafficFlowEdge>) {
  const label = useCounterValue(p.data?.counterId, (e) => {
    const r = labelRate(e);
    return r >= 1 ? `${rateLevel(r)}|${humanRate(r)}` : null;
  });
  const [path, lx, ly] = getBezierPath(p);
  const level = label ? (Number(label[0]) as 1 | 2 | 3 | 4) : 0;
  const text = label && p.data?.label !== false ? label.slice(2) : null;
  return (
    <>
      <BaseEdge id={p.id} path={path} interactionWidth={p.interactionWidth} style={level ? { strokeWidth: WIDTH[level] } : undefined} />
      {level ? <path d={path} className={`traffic-flow traffic-l${level}`} fill="none" aria-hidden="true" /> : null}
      <PathEdgeOverlay id={p.id} path={path} />
      {text ? (
        <EdgeLabelRenderer>
          <div className={`traffic-label traffic-l${level}`} style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)` }} role="note" aria-label={`traffic ${text}`}>
            {text}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const TrafficEdge = memo(TrafficEdgeView);
export const edgeTypes = { traffic: TrafficEdge };
