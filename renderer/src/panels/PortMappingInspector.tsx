import type React from 'react';
import type { PortMapping, Snapshot } from '../../../protocol/src/index.js';
import { namespaceName, portMappingText } from '../graph/labels.js';
import { Facts } from './Facts.js';
import { localAccessText } from './local-access.js';
import { NodeLink } from './NodeLink.js';
import { OwnerBadge } from './OwnerBadge.js';

/** One port mapping: host side, target, the interface it reaches and the chains behind it. */
export function PortMappingInspector({ pm, snapshot, onGo }: { pm: PortMapping; snapshot: Snapshot; onGo: (id: string) => void }) {
  const target = pm.targetInterface ? snapshot.interfaces.find((i) => i.id === pm.targetInterface) : undefined;
  const targetNs = target ? snapshot.namespaces.find((n) => n.id === target.ns) : undefined;
  return (
    <div className="inspector-body">
      <header className="insp-head">
        <span className="kind-chip pm">port mapping</span>
        <h2 className="mono">{portMappingText(pm)}</h2>
      </header>
      <Facts
        rows={[
          ['owner', <OwnerBadge owner={pm.owner} />],
          ['protocol', pm.proto],
          ['host side', `${pm.hostIp ?? 'any address'} port ${pm.hostPort}${pm.hostPortEnd ? `–${pm.hostPortEnd}` : ''}`],
          ['target', `${pm.targetIp}${pm.targetPort !== null ? `:${pm.targetPort}` : ''}`],
          ['target interface', target ? <NodeLink id={target.id} label={`${target.name} in ${targetNs ? namespaceName(targetNs) : target.ns}`} onGo={onGo} /> : 'not on this host'],
          ['chains', <span className="mono">{pm.chains.join(', ') || '—'}</span>],
          ['from this host', localAccessText(pm, snapshot)],
          ...(pm.proxyPids?.length
            ? ([['proxy', <span className="mono">{`${pm.owner === 'docker' ? 'docker-proxy ' : ''}pid ${pm.proxyPids.join(', ')}`}</span>]] as [string, React.ReactNode][])
            : []),
        ]}
      />
    </div>
  );
}
