import type { FirewallBackend } from '../../../../protocol/src/index.js';
import { SOURCE_LABEL } from './source-labels.js';

/** "legacy iptables and nftables both have", "legacy iptables, iptables-nft and nftables all have". */
export function sourcesHave(backends: readonly FirewallBackend[]): string {
  const names = [...new Set(backends)].map((b) => SOURCE_LABEL[b]);
  if (names.length <= 2) return `${names.join(' and ')} both have`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} all have`;
}
