/**
 * The classic libpcap file format (what `tcpdump -w` writes): a 24-byte global header, then
 * records of a 16-byte header and the captured bytes. The magic number tells both the byte
 * order of the writer and whether timestamps carry micro- or nanoseconds.
 */
export const MAGIC_MICRO = 0xa1b2c3d4;
export const MAGIC_NANO = 0xa1b23c4d;
export const GLOBAL_HEADER_LEN = 24;
export const RECORD_HEADER_LEN = 16;
/** The largest snap length tcpdump accepts; a record claiming more is a corrupt stream. */
export const MAX_SNAPLEN = 262144;

/** LINKTYPE_* values (tcpdump.org/linktypes.html) that netloom decodes. */
export const LINKTYPE = {
  NULL: 0,
  EN10MB: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
} as const;

export interface PcapHeader {
  littleEndian: boolean;
  nano: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linktype: number;
}

export interface PcapRecord {
  /** Seconds since the epoch. */
  sec: number;
  /** Fraction of the second in nanoseconds (microsecond files are scaled up). */
  nsec: number;
  /** Length on the wire. */
  origLen: number;
  /** The captured bytes (at most the snap length). */
  data: Buffer;
}

/** Reads a global header, or says why it is not one. */
export function parseGlobalHeader(b: Buffer): PcapHeader | string {
  if (b.length < GLOBAL_HEADER_LEN) return 'shorter than a pcap header';
  const le = b.readUInt32LE(0);
  const be = b.readUInt32BE(0);
  let littleEndian: boolean;
  let nano: boolean;
  if (le === MAGIC_MICRO || le === MAGIC_NANO) {
    littleEndian = true;
    nano = le === MAGIC_NANO;
  } else if (be === MAGIC_MICRO || be === MAGIC_NANO) {
    littleEndian = false;
    nano = be === MAGIC_NANO;
  } else {
    return `not a pcap stream (magic 0x${be.toString(16).padStart(8, '0')})`;
  }
  const u16 = (o: number): number => (littleEndian ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number): number => (littleEndian ? b.readUInt32LE(o) : b.readUInt32BE(o));
  // The link type's upper bits may carry FCS flags (pcap-savefile(5)); the type is the low 16.
  return { littleEndian, nano, versionMajor: u16(4), versionMinor: u16(6), snaplen: u32(16), linktype: u32(20) & 0xffff };
}

/** A standard little-endian pcap global header. */
export function globalHeader(linktype: number, snaplen: number, nano: boolean): Buffer {
  const b = Buffer.alloc(GLOBAL_HEADER_LEN);
  b.writeUInt32LE(nano ? MAGIC_NANO : MAGIC_MICRO, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(snaplen, 16);
  b.writeUInt32LE(linktype, 20);
  return b;
}

/** A record header for `rec`, timestamps in the file's precision. */
export function recordHeader(rec: PcapRecord, nano: boolean): Buffer {
  const b = Buffer.alloc(RECORD_HEADER_LEN);
  b.writeUInt32LE(rec.sec >>> 0, 0);
  b.writeUInt32LE(nano ? rec.nsec : Math.floor(rec.nsec / 1000), 4);
  b.writeUInt32LE(rec.data.length, 8);
  b.writeUInt32LE(rec.origLen, 12);
  return b;
}
