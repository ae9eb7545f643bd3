import type React from 'react';
import type { PortMapping, Snapshot } from '../../../protocol/src/index.js';
import { mappingTargetText, namespaceName, portMappingText } from '../graph/labels.js';
import { ownerSentence } from '../control/owner-help.js';
import { mappingSource } from './mapping-source.js';
import { Facts } from './Facts.js';
import { localAccessText } from './local-access.js';
import { NodeLink } from './NodeLink.js';
import { OwnerBadge } from './OwnerBadge.js';
import './mapping.css';

/**
 * One port mapping: host side, target, the interface it reaches, where its DNAT lives (source and
 * table) and the chains behind it; a mapping netloom did not make says who to change it with.
 */
export function PortMappingInspector({ pm, snapshot, onGo }: { pm: PortMapping; snapshot: Snapshot; onGo: (id: string) => void }) {
  const target = pm.targetInterface ? snapshot.interfaces.find((i) => i.id === pm.targetInterface) : undefined;
  const targetNs = target ? snapshot.namespaces.find((n) => n.id === target.ns) : undefined;
  const source = mappingSource(snapshot, pm);
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
          ['target', mappingTargetText(pm)],
          ['target interface', pm.redirect ? 'this host (REDIRECT: the host itself answers)' : target ? <NodeLink id={target.id} label={`${target.name} in ${targetNs ? namespaceName(targetNs) : target.ns}`} onGo={onGo} /> : 'not on this host'],
          ['firewall', <span className="mono">{source.text}</span>],
          ['chains', <span className="mono">{pm.chains.join(', ') || '—'}</span>],
          ['from this host', localAccessText(pm, snapshot)],
          ...(pm.proxyPids?.length
            ? ([['proxy', <span className="mono">{`${pm.owner === 'docker' ? 'docker-proxy ' : ''}pid ${pm.proxyPids.join(', ')}`}</span>]] as [string, React.ReactNode][])
            : []),
        ]}
      />
      {pm.owner !== 'netloom' ? (
        <p className="pm-owner-help" aria-label="who changes it">
          {ownerSentence(pm)}
        </p>
      ) : null}
    </div>
  );
}
