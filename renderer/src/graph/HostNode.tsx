import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { HostData } from './graph-model.js';

export type HostFlowNode = Node<HostData, 'host'>;

/** A host's group (several hosts on one canvas, issue 14): its name, where it is, and whether its picture is stale. */
function HostNodeView({ data }: NodeProps<HostFlowNode>) {
  const { host } = data;
  return (
    <div className={`host-box host-${host.state}`} title={host.error ?? undefined}>
      <div className="host-title">
        <span className="host-kind">host</span>
        <span className="host-name">{data.title}</span>
        {host.state !== 'live' ? <span className="host-state">{host.state}</span> : null}
      </div>
      <div className="host-sub">{data.subtitle}</div>
    </div>
  );
}

export const HostNode = memo(HostNodeView);
