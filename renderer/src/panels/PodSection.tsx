import type { ContainerInfo } from '../../../protocol/src/index.js';
import { Facts, Section } from './Facts.js';

type Pod = NonNullable<ContainerInfo['pod']>;

/**
 * A Kubernetes pod named from the CRI (issue 14): its namespace, name and uid, and every container
 * the CRI lists in it — they all share this network namespace, so each is "in" this box.
 */
export function PodSection({ pod }: { pod: Pod }) {
  return (
    <Section title="Pod">
      <Facts
        rows={[
          ['namespace', pod.namespace],
          ['name', pod.name],
          ['uid', <span className="mono">{pod.uid}</span>],
        ]}
      />
      {pod.containers.length ? (
        <ul className="pod-containers" aria-label="pod containers">
          {pod.containers.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> <span className={`pod-state pod-${c.state}`}>{c.state}</span>
              <div className="mono dim" title={c.id}>
                {c.image} · {c.id.slice(0, 12)}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">no containers yet: only the pod's sandbox holds this namespace</p>
      )}
    </Section>
  );
}
