import type { RuntimeNetwork } from '../../../protocol/src/index.js';
import { runtimeDisplayName } from '../graph/runtime-labels.js';

/** One runtime network in plain words: its name, subnet and gateway, and what its options do. */
export function RuntimeNetworkFacts({ net }: { net: RuntimeNetwork }) {
  return (
    <div className="runtime-net" aria-label={`${runtimeDisplayName(net.runtime)} network ${net.name}`}>
      <div className="runtime-net-head">
        <strong>{net.name}</strong>
        <span className="dim">
          {' '}
          {runtimeDisplayName(net.runtime)} · {net.driver}
          {net.subnet ? ` · ${net.subnet}` : ''}
          {net.gateway ? ` via ${net.gateway}` : ''}
        </span>
      </div>
      {net.explanation.length ? (
        <ul className="explanation">
          {net.explanation.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
