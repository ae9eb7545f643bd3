import { z } from 'zod';

/**
 * A saved layout (File ▸ Save layout…): where each node of one host's graph sits, so a picture
 * arranged by hand can be kept, shared and opened again. Node ids are the graph's own
 * (namespace and interface ids), which hold only on the host they were read from — hence `host`.
 */
export const LAYOUT_FILE_FORMAT = 'netloom-layout' as const;
export const LAYOUT_FILE_VERSION = 1 as const;

const Coordinate = z.number().finite().min(-1e7).max(1e7);
const Extent = z.number().finite().positive().max(1e7);

export const LayoutFile = z
  .object({
    format: z.literal(LAYOUT_FILE_FORMAT),
    version: z.literal(LAYOUT_FILE_VERSION),
    /** The hostname whose graph this is. */
    host: z.string().min(1).max(255),
    savedAt: z.string().max(64),
    /** Top-left of each node, relative to its parent group (as React Flow holds it). */
    positions: z.record(z.string().min(1).max(512), z.object({ x: Coordinate, y: Coordinate }).strict()),
    /** Sizes of group nodes (namespaces) that were resized. */
    sizes: z.record(z.string().min(1).max(512), z.object({ width: Extent, height: Extent }).strict()),
  })
  .strict();
export type LayoutFile = z.infer<typeof LayoutFile>;

/** A layout file is small; anything bigger is not one of ours. */
export const MAX_LAYOUT_FILE_BYTES = 4 * 1024 * 1024;
