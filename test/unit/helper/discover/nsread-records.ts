import { RECORD } from '../../../../helper/discover/netlink/records.js';

/** Builds netloom-nsread output (records: u32 length, u32 kind, payload) for fakes. */
function record(kind: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(8 + payload.length, 0);
  head.writeUInt32LE(kind, 4);
  return Buffer.concat([head, payload]);
}

export interface TablesAnswer {
  path: string;
  inode: number;
  gen?: number;
  families?: number[];
  /** nftables tables by family number (2 ip, 10 ip6, 1 inet) and name. */
  tables?: { family: number; name: string }[];
  legacy?: string;
}

/** One NFT_MSG_NEWTABLE message: nlmsghdr, nfgenmsg, NFTA_TABLE_NAME. */
function tableMessage(family: number, name: string): Buffer {
  const nameBytes = Buffer.from(name + '\0');
  const attrLen = 4 + nameBytes.length;
  const attr = Buffer.alloc((attrLen + 3) & ~3);
  attr.writeUInt16LE(attrLen, 0);
  attr.writeUInt16LE(1, 2);
  nameBytes.copy(attr, 4);
  const body = Buffer.concat([Buffer.from([family, 0, 0, 0]), attr]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(16 + body.length, 0);
  head.writeUInt16LE((10 << 8) | 0, 4);
  return Buffer.concat([head, body]);
}

/** What `netloom-nsread --tables` prints for these namespaces. */
export function tablesOutput(answers: TablesAnswer[]): Buffer {
  return Buffer.concat(
    answers.flatMap((a) => {
      const id = Buffer.alloc(16);
      id.writeBigUInt64LE(BigInt(a.inode), 8);
      const gen = Buffer.alloc(4);
      gen.writeUInt32BE(a.gen ?? 0, 0);
      return [
        record(RECORD.target, Buffer.concat([id, Buffer.from(a.path)])),
        ...(a.gen === undefined ? [] : [record(RECORD.nftGen, gen)]),
        record(RECORD.nft, Buffer.from(a.families ?? [])),
        record(RECORD.nftTables, Buffer.concat((a.tables ?? []).map((t) => tableMessage(t.family, t.name)))),
        record(RECORD.legacy, Buffer.from(a.legacy ?? '')),
        record(RECORD.legacy6, Buffer.from('')),
        record(RECORD.end),
      ];
    }),
  );
}
