import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import type { InterfaceData } from './graph-model.js';
import { MAX_ADDRESSES_SHOWN, shownAddresses } from './node-size.js';
import { usePathNode } from '../explain/PathOnNode.js';

export type InterfaceFlowNode = Node<InterfaceData, 'interface'>;

const KIND_TEXT: Record<string, string> = { device: 'device', bridge: 'bridge', veth: 'veth', loopback: 'lo', vlan: 'vlan', macvlan: 'macvlan', vxlan: 'vxlan', tun: 'tun', other: 'other' };

/** One interface: name, kind, up/down (colour and word), addresses. */
function InterfaceNodeView({ id, data, selected }: NodeProps<InterfaceFlowNode>) {
  const { iface } = data;
  // The explained path (renderer/src/explain): this node's own mark only.
  const path = usePathNode(id);
  const state = iface.up ? (iface.operstate === 'DOWN' || iface.operstate === 'LOWERLAYERDOWN' ? 'no-carrier' : 'up') : 'down';
  const stateText = state === 'no-carrier' ? 'no link' : state;
  const kindText = iface.linkKind && iface.kind === 'other' ? iface.linkKind : (KIND_TEXT[iface.kind] ?? iface.kind);
  const all = shownAddresses(iface);
  const shown = all.slice(0, MAX_ADDRESSES_SHOWN);
  const more = all.length - shown.length;
  return (
    <div className={`if-node if-${iface.kind} st-${state}${selected ? ' is-selected' : ''}${path.className}`}>
      {path.badges}
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="if-head">
        <span className="if-name">{iface.name}</span>
        {iface.kind !== 'loopback' ? <span className="if-kind">{iface.vlanId !== undefined ? `vlan ${iface.vlanId}` : kindText}</span> : null}
        <span className={`if-state st-${state}`}>{stateText}</span>
      </div>
      {data.networks ? <div className="if-net" title="runtime network on this bridge">{data.networks.join(', ')}</div> : null}
      {iface.kind !== 'loopback' ? (
        <ul className="if-addrs">
          {shown.map((a) => (
            <li key={a}>{a}</li>
          ))}
          {more > 0 ? <li className="if-more">+{more} more</li> : null}
          {all.length === 0 && !iface.master ? <li className="if-none">no address</li> : null}
        </ul>
      ) : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
      {/* Drag onto a bridge: plug this interface into it (renderer/src/control). */}
      {iface.kind !== 'bridge' && iface.kind !== 'loopback' ? <Handle type="source" id="connect" position={Position.Right} className="connect-handle" title="Drag onto a bridge to plug it in" /> : null}
    </div>
  );
}

export const InterfaceNode = memo(InterfaceNodeView);
