import { memo, useContext } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import { HostActionsContext } from '../hosts/use-hosts-ui.js';
import type { HostData } from './graph-model.js';

export type HostFlowNode = Node<HostData, 'host'>;

/**
 * A host's group (several hosts on one canvas, issue 14): its name, where it is, whether its
 * picture is stale; while connecting, the step it is at; when it failed, why and what to do;
 * a remote host's Remove button when the page can remove hosts.
 */
function HostNodeView({ data }: NodeProps<HostFlowNode>) {
  const { host } = data;
  const actions = useContext(HostActionsContext);
  const state = host.needsPassword ? 'needs the sudo password' : host.state;
  const progress = host.state === 'connecting' || host.state === 'stale' ? host.progress : null;
  return (
    <div className={`host-box host-${host.state}`} title={host.error ?? undefined}>
      <div className="host-title">
        <span className="host-kind">host</span>
        <span className="host-name">{data.title}</span>
        {host.state !== 'live' || host.needsPassword ? <span className="host-state">{state}</span> : null}
        {!host.local && actions ? (
          <button type="button" className="host-remove nodrag" aria-label={`remove host ${host.name}`} title="Remove this host: its ssh session ends and its picture leaves the canvas" onClick={() => actions.remove(host.name)}>
            Remove
          </button>
        ) : null}
      </div>
      <div className="host-sub">{data.subtitle}</div>
      {progress && !host.needsPassword ? <div className="host-progress">{progress}…</div> : null}
      {host.error && (host.state === 'failed' || host.needsPassword || data.empty) ? (
        <div className="host-error" role="status">
          {host.error}
        </div>
      ) : null}
    </div>
  );
}

export const HostNode = memo(HostNodeView);
