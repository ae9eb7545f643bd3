/**
 * Splits the output of netloom-nsread (helper/native/nsread.c) into one dump per namespace.
 * The reader writes records — u32 length (header included), u32 kind, payload — and each
 * namespace is a TARGET record, what the kernel answered, then END. Netlink speaks the host's
 * byte order; these decoders read little-endian — every machine netloom ships for (x86-64, arm64).
 */
export const RECORD = { target: 1, error: 2, links: 3, addrs: 4, routes: 5, forward: 6, nft: 7, legacy: 8, end: 9, nftGen: 10, nftTables: 11, legacy6: 12, rules: 13, sysctls: 14 } as const;

export interface NsDump {
  /** The path the reader opened (a /run/netns entry, /proc/PID/ns/net, …). */
  path: string;
  /** The namespace's inode (`ns:<inode>`), 0 when it could not be opened. */
  inode: number;
  links: Buffer | null;
  addrs: Buffer | null;
  routes: Buffer | null;
  /** /proc/sys/net/ipv4/ip_forward as read in the namespace. */
  forward: string | null;
  /** The family of each nftables table (2: ip, 10: ip6, 1: inet …); null when nftables could not be asked. */
  nftFamilies: number[] | null;
  /** /proc/net/ip_tables_names (legacy iptables); '' when the module is not loaded; null when unreadable. */
  legacyTables: string | null;
  /** nftables' ruleset generation (`--tables` only): any rule change bumps it. */
  nftGen: number | null;
  /** NFT_MSG_NEWTABLE messages (each table's family and name); null when not asked or refused. */
  nftTables: Buffer | null;
  /** /proc/net/ip6_tables_names (legacy ip6tables), as legacyTables. */
  legacy6Tables: string | null;
  /** RTM_NEWRULE messages (ip rule). */
  rules: Buffer | null;
  /** rp_filter and route_localnet lines. */
  sysctls: string | null;
  /** What failed, step by step ("setns: errno 2"). */
  errors: { step: string; errno: number }[];
}

function emptyDump(path: string, inode: number): NsDump {
  return { path, inode, links: null, addrs: null, routes: null, forward: null, nftFamilies: null, legacyTables: null, nftGen: null, nftTables: null, legacy6Tables: null, rules: null, sysctls: null, errors: [] };
}

/** Throws on a torn stream (the reader died mid-record): the caller then falls back to ip. */
export function splitRecords(out: Buffer): NsDump[] {
  const dumps: NsDump[] = [];
  let cur: NsDump | null = null;
  let off = 0;
  while (off < out.length) {
    if (off + 8 > out.length) throw new Error('netloom-nsread: output ends inside a record header');
    const len = out.readUInt32LE(off);
    const kind = out.readUInt32LE(off + 4);
    if (len < 8 || off + len > out.length) throw new Error('netloom-nsread: output ends inside a record');
    const body = out.subarray(off + 8, off + len);
    off += len;
    if (kind === RECORD.target) {
      // u64 st_dev, u64 st_ino: inodes stay far below 2^53.
      cur = emptyDump(body.subarray(16).toString('utf8'), Number(body.readBigUInt64LE(8)));
      dumps.push(cur);
      continue;
    }
    if (cur === null) throw new Error('netloom-nsread: a record before any namespace');
    switch (kind) {
      case RECORD.error:
        cur.errors.push({ errno: body.readInt32LE(0), step: body.subarray(4).toString('utf8') });
        break;
      case RECORD.links:
        cur.links = body;
        break;
      case RECORD.addrs:
        cur.addrs = body;
        break;
      case RECORD.routes:
        cur.routes = body;
        break;
      case RECORD.forward:
        cur.forward = body.toString('utf8');
        break;
      case RECORD.nft:
        cur.nftFamilies = [...body];
        break;
      case RECORD.legacy:
        cur.legacyTables = body.toString('utf8');
        break;
      case RECORD.nftGen:
        cur.nftGen = body.readUInt32BE(0);
        break;
      case RECORD.nftTables:
        cur.nftTables = body;
        break;
      case RECORD.legacy6:
        cur.legacy6Tables = body.toString('utf8');
        break;
      case RECORD.rules:
        cur.rules = body;
        break;
      case RECORD.sysctls:
        cur.sysctls = body.toString('utf8');
        break;
      case RECORD.end:
        cur = null;
        break;
      default:
        break; // a newer reader's record: skipped
    }
  }
  if (cur !== null) throw new Error('netloom-nsread: output ends inside a namespace');
  return dumps;
}
