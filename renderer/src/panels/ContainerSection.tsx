import type React from 'react';
import type { ContainerInfo, Snapshot } from '../../../protocol/src/index.js';
import { runtimeDisplayName, runtimeNetworkNamed } from '../graph/runtime-labels.js';
import { Facts, Section } from './Facts.js';
import { RuntimeNetworkFacts } from './RuntimeNetworkFacts.js';

/**
 * What the runtime says about the container in a namespace: name, image, runtime, short id,
 * main pid, and each network it is on — its address and gateway there, and what the network
 * does in plain words.
 */
export function ContainerSection({ c, snapshot }: { c: ContainerInfo; snapshot: Snapshot }) {
  const names = c.networks ?? c.endpoints?.map((e) => e.network) ?? [];
  return (
    <Section title="Container">
      <Facts
        rows={[
          ['name', c.name],
          ['image', c.image ? <span className="mono">{c.image}</span> : 'unknown'],
          ['runtime', runtimeDisplayName(c.runtime)],
          ['container id', <span className="mono" title={c.id}>{c.id.slice(0, 12)}</span>],
          ...(c.pid !== undefined ? ([['pid', <span className="mono">{c.pid}</span>]] as [string, React.ReactNode][]) : []),
        ]}
      />
      {names.length ? (
        <ul className="container-nets" aria-label="container networks">
          {names.map((name) => {
            const ep = c.endpoints?.find((e) => e.network === name);
            const net = runtimeNetworkNamed(snapshot, c, name);
            return (
              <li key={name}>
                {net ? <RuntimeNetworkFacts net={net} /> : <strong>{name}</strong>}
                {ep ? (
                  <div className="endpoint mono">
                    {ep.ip ?? 'no address'}
                    {ep.gateway ? ` · gateway ${ep.gateway}` : ''}
                    {ep.mac ? ` · ${ep.mac}` : ''}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="empty">on no runtime network</p>
      )}
    </Section>
  );
}
