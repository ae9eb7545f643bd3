import { globalHeader, recordHeader, type PcapRecord } from './format.js';

/** A standard .pcap file (little-endian, as tcpdump writes on x86) holding these records. */
export function pcapFile(linktype: number, snaplen: number, nano: boolean, records: Iterable<PcapRecord>): Buffer {
  const parts: Buffer[] = [globalHeader(linktype, snaplen, nano)];
  for (const r of records) parts.push(recordHeader(r, nano), r.data);
  return Buffer.concat(parts);
}
