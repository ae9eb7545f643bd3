import type { RuleOwner } from '../../../protocol/src/index.js';
import { OWNER_LABEL } from './rules/source-labels.js';

/**
 * Who put a rule or mapping there — docker, podman, lxc, netloom, kube, firewalld, libvirt or
 * user — each its own colour. With `why` (a table's owner: "table name docker-bridges") the badge
 * names the owner in full and says why on hover and to a screen reader.
 */
export function OwnerBadge({ owner, why }: { owner: RuleOwner; why?: string | null | undefined }) {
  if (!why) return <span className={`owner owner-${owner}`}>{owner}</span>;
  return (
    <span className={`owner owner-${owner}`} title={`made by ${OWNER_LABEL[owner]}: ${why}`} aria-label={`owner ${OWNER_LABEL[owner]} (${why})`} role="note">
      {OWNER_LABEL[owner]}
    </span>
  );
}
