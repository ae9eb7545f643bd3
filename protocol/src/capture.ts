import { z } from 'zod';

/**
 * Packet capture (DESIGN §7): `capture.start` opens a stream of packet-summary batches,
 * `capture.packet` fetches one packet's bytes and decode from the helper's ring,
 * `capture.save` fetches the ring as a standard .pcap file in chunks (a wire line is ≤ 1 MiB).
 */

/** Kernel rules for an interface name (dev_valid_name): 1–15 bytes, not "." or "..", no "/", ":" or whitespace. */
export const InterfaceName = z
  .string()
  .min(1)
  .max(15)
  .regex(/^[^/:\s]+$/, 'an interface name has no "/", ":" or whitespace')
  .refine((s) => s !== '.' && s !== '..', 'an interface name is not "." or ".."');

export const CaptureParams = z
  .object({
    /** Namespace id, `ns:<inode>` (Snapshot namespaces[].id). */
    ns: z.string().regex(/^ns:\d+$/, 'a namespace id looks like ns:<inode>'),
    /** Interface name in that namespace. */
    interface: InterfaceName,
    snaplen: z.number().int().min(64).max(262144).default(262144),
    /** Stop after this many packets. */
    count: z.number().int().min(1).max(10_000_000).optional(),
    /** Stop after this many seconds. */
    seconds: z.number().positive().max(86400).optional(),
    /** A tcpdump (pcap-filter) expression. */
    filter: z.string().max(1000).default(''),
    /**
     * Deliver every packet at once (tcpdump --immediate-mode). Off: packets arrive in blocks,
     * within 1 s, and a 100 000 packets/s flood is captured whole; on: no delay, but heavy
     * floods lose packets in the kernel (see bench/RESULTS.md).
     */
    immediate: z.boolean().default(false),
    /** Bytes of packets kept for `capture.packet` and `capture.save`; the oldest are evicted. */
    ringBytes: z.number().int().min(1 << 20).max(1 << 30).optional(),
  })
  .strict();
export type CaptureParams = z.infer<typeof CaptureParams>;
export type CaptureParamsInput = z.input<typeof CaptureParams>;

/** One row of the packet list. */
export const PacketSummary = z.object({
  /** 1-based number in this capture. */
  n: z.number().int(),
  /** Seconds since the epoch, microsecond precision. */
  time: z.number(),
  src: z.string(),
  dst: z.string(),
  proto: z.string(),
  /** Length on the wire. */
  length: z.number().int(),
  info: z.string(),
});
export type PacketSummary = z.infer<typeof PacketSummary>;

export const CaptureStats = z.object({
  /** Packets tcpdump delivered to netloom. */
  captured: z.number().int(),
  /** Bytes on the wire of those packets. */
  bytes: z.number(),
  /** Dropped by the kernel (tcpdump's count); null until tcpdump reports it at exit. */
  kernelDropped: z.number().int().nullable(),
  /** Summaries netloom did not send because the client was too slow (the packets stay in the ring). */
  summariesDropped: z.number().int(),
  /** Packets evicted from the ring to stay within its size. */
  ringEvicted: z.number().int(),
  ringPackets: z.number().int(),
  ringBytes: z.number().int(),
});
export type CaptureStats = z.infer<typeof CaptureStats>;

export const CaptureBatch = z.object({
  packets: z.array(PacketSummary),
  stats: CaptureStats,
  /**
   * The filter tcpdump really runs, when the helper changed the requested one (browser mode leaves
   * its own WebSocket port out of loopback captures); sent once, on the first batch.
   */
  appliedFilter: z.string().optional(),
});
export type CaptureBatch = z.infer<typeof CaptureBatch>;

export const CAPTURE_END_REASONS = ['count', 'time', 'stopped', 'interface-gone', 'namespace-gone', 'tcpdump-died'] as const;
export const CaptureEndReason = z.enum(CAPTURE_END_REASONS);
export type CaptureEndReason = z.infer<typeof CaptureEndReason>;

export const CaptureEnd = z.object({
  reason: CaptureEndReason,
  /** A sentence for the user ("interface vb no longer exists in namespace ns:4026532…"). */
  message: z.string(),
  /** The end of tcpdump's stderr, for 'tcpdump-died' and the gone reasons. */
  stderr: z.string().optional(),
  stats: CaptureStats,
});
export type CaptureEnd = z.infer<typeof CaptureEnd>;

/** A stream pushes batches and, last, the end (the stream's own end then carries `reason`). */
export const CaptureData = z.union([z.object({ batch: CaptureBatch }), z.object({ end: CaptureEnd })]);
export type CaptureData = z.infer<typeof CaptureData>;

/** A node of a packet's details tree; offset/length select bytes in the hex view. */
export interface PacketDetailNode {
  label: string;
  offset?: number;
  length?: number;
  children?: PacketDetailNode[];
}
export const PacketDetailNode: z.ZodType<PacketDetailNode> = z.lazy(() =>
  z.object({
    label: z.string(),
    offset: z.number().int().optional(),
    length: z.number().int().optional(),
    children: z.array(PacketDetailNode).optional(),
  }),
);

export const CapturePacketParams = z.object({ stream: z.union([z.number(), z.string()]), n: z.number().int().min(1) }).strict();
export type CapturePacketParams = z.infer<typeof CapturePacketParams>;

export const CapturePacket = z.object({
  summary: PacketSummary,
  linktype: z.number().int(),
  /** Captured bytes, base64 (at most the snap length). */
  bytes: z.string(),
  tree: z.array(PacketDetailNode),
});
export type CapturePacket = z.infer<typeof CapturePacket>;

export const CaptureSaveParams = z
  .object({
    stream: z.union([z.number(), z.string()]),
    offset: z.number().int().min(0).default(0),
    /** Raw bytes per chunk; base64 makes it 4/3 bigger, so 512 KiB keeps a line under 1 MiB. */
    maxBytes: z.number().int().min(1024).max(512 * 1024).default(512 * 1024),
  })
  .strict();
export type CaptureSaveParams = z.infer<typeof CaptureSaveParams>;

export const CaptureSaveChunk = z.object({ offset: z.number().int(), total: z.number().int(), data: z.string(), done: z.boolean() });
export type CaptureSaveChunk = z.infer<typeof CaptureSaveChunk>;

/** `capture.follow`: the TCP conversation of packet `n`, both directions, from the ring. */
export const CaptureFollowParams = z.object({ stream: z.union([z.number(), z.string()]), n: z.number().int().min(1) }).strict();
export type CaptureFollowParams = z.infer<typeof CaptureFollowParams>;

export const CaptureFollow = z.object({
  /** "addr.port" of the side that sent the SYN (else the first sender). */
  client: z.string(),
  server: z.string(),
  segments: z.array(z.object({ n: z.number().int(), fromClient: z.boolean(), /** base64 */ data: z.string() })),
  /** The conversation was longer than the limit (512 KiB of payload). */
  truncated: z.boolean(),
});
export type CaptureFollow = z.infer<typeof CaptureFollow>;

/** `capture.fullDecode`: Wireshark's decode of one packet (tshark -V -x), where tshark is installed. */
export const CaptureFullDecode = z.object({
  /** False when tshark is not installed here; `text` then says so. */
  available: z.boolean(),
  text: z.string(),
});
export type CaptureFullDecode = z.infer<typeof CaptureFullDecode>;
