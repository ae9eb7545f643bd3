import type { FirewallFamily } from '../../../protocol/src/firewall.js';
import { attributes, messages, str } from './messages.js';

/** NFT_MSG_NEWTABLE messages → each table's family and name (nfgenmsg: family u8, version u8, res_id u16). */
const NFT_MSG_NEWTABLE = (10 << 8) | 0;
const NFTA_TABLE_NAME = 1;
export const NF_FAMILIES: Record<number, FirewallFamily> = { 1: 'inet', 2: 'ip', 3: 'arp', 5: 'netdev', 7: 'bridge', 10: 'ip6' };

export interface NftTableName {
  family: FirewallFamily;
  name: string;
}

export function decodeNftTables(buf: Buffer | null): NftTableName[] {
  const out: NftTableName[] = [];
  for (const m of buf === null ? [] : messages(buf)) {
    if (m.type !== NFT_MSG_NEWTABLE || m.body.length < 4) continue;
    const family = NF_FAMILIES[m.body.readUInt8(0)];
    const name = str(attributes(m.body, 4).get(NFTA_TABLE_NAME));
    if (family !== undefined && name !== null) out.push({ family, name });
  }
  return out;
}
