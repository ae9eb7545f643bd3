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
  legacy?: string;
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
        record(RECORD.legacy, Buffer.from(a.legacy ?? '')),
        record(RECORD.end),
      ];
    }),
  );
}
