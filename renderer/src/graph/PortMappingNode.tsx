import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import type { PortMappingData } from './graph-model.js';
import { usePathNode } from '../explain/PathOnNode.js';

export type PortMappingFlowNode = Node<PortMappingData, 'portMapping'>;

/** A port mapping badge: "tcp 0.0.0.0:18080 → 172.17.0.2:80", coloured by owner. */
function PortMappingNodeView({ id, data, selected }: NodeProps<PortMappingFlowNode>) {
  // The explained path (renderer/src/explain) lights the mapping a request was translated by.
  const path = usePathNode(id);
  return (
    <div className={`pm-node owner-${data.pm.owner}${selected ? ' is-selected' : ''}${path.className}`} title={`${data.text} (${data.pm.owner})`}>
      {path.badges}
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="pm-icon" aria-hidden="true">⇄</span>
      <span className="pm-text">{data.text}</span>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

export const PortMappingNode = memo(PortMappingNodeView);
