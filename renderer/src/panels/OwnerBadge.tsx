import type { RuleOwner } from '../../../protocol/src/index.js';

/** Who put a rule or mapping there: docker, podman, lxc, netloom, kube or user — each its own colour. */
export function OwnerBadge({ owner }: { owner: RuleOwner }) {
  return <span className={`owner owner-${owner}`}>{owner}</span>;
}
