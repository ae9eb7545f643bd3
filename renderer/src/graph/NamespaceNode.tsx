import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import type { NamespaceData } from './graph-model.js';
import { runtimeDisplayName } from './runtime-labels.js';

export type NamespaceFlowNode = Node<NamespaceData, 'namespace'>;

/** A namespace box: its name (a container's own), what holds it, and a mark when it could not be read fully. */
function NamespaceNodeView({ data, selected }: NodeProps<NamespaceFlowNode>) {
  const { ns } = data;
  const c = ns.container;
  // A container's box looks like one even when its runtime also named it (Podman's /run/netns/netns-<uuid>).
  return (
    <div className={`ns-box ns-${c ? 'container' : ns.kind}${selected ? ' is-selected' : ''}`} title={c ? `${runtimeDisplayName(c.runtime)} container ${c.name} (${c.id.slice(0, 12)})` : undefined}>
      <div className="ns-title">
        <span className="ns-kind">{c ? runtimeDisplayName(c.runtime) : ns.kind}</span>
        <span className="ns-name">{data.title}</span>
        {ns.error ? <span className="ns-error" title={ns.error}>!</span> : null}
      </div>
      <div className="ns-sub">{data.subtitle}</div>
      {/* Drag onto another namespace: a veth pair between the two (renderer/src/control). */}
      <Handle type="source" id="connect" position={Position.Right} className="connect-handle ns-connect" title="Drag onto another namespace to connect them with a veth pair" />
    </div>
  );
}

export const NamespaceNode = memo(NamespaceNodeView);
