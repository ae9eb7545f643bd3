import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import type { RemoteData } from './graph-model.js';

export type RemoteFlowNode = Node<RemoteData, 'remote'>;

/** A tunnel's far end that no host on the canvas holds: "remote 192.0.2.7" (issue 14). */
function RemoteNodeView({ data }: NodeProps<RemoteFlowNode>) {
  return (
    <div className="remote-node" title={`${data.title}: the far end of a tunnel, on a host that is not on the canvas`}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="remote-icon" aria-hidden="true">⇢</span>
      <span className="remote-text">{data.title}</span>
    </div>
  );
}

export const RemoteNode = memo(RemoteNodeView);
