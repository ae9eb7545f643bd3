import { z } from 'zod';
import { TopologyPatch } from './patch.js';
import { Snapshot } from './snapshot.js';

/**
 * The one typed map of helper methods (STYLE §3). Each entry: params schema, result
 * schema, and for streams the schema of each pushed `data`.
 */
export const TopologyWatchData = z.union([
  z.object({ snapshot: Snapshot }),
  z.object({ patch: TopologyPatch }),
]);
export type TopologyWatchData = z.infer<typeof TopologyWatchData>;

export const Methods = {
  'topology.get': { params: z.object({}).strict(), result: Snapshot },
  'topology.watch': {
    params: z.object({}).strict(),
    result: z.object({ stream: z.union([z.number(), z.string()]) }),
    data: TopologyWatchData,
  },
} as const;

export type MethodName = keyof typeof Methods;
export type ParamsOf<M extends MethodName> = z.input<(typeof Methods)[M]['params']>;
export type ResultOf<M extends MethodName> = z.infer<(typeof Methods)[M]['result']>;
export type StreamMethodName = {
  [M in MethodName]: (typeof Methods)[M] extends { data: z.ZodType } ? M : never;
}[MethodName];
export type DataOf<M extends StreamMethodName> = (typeof Methods)[M] extends { data: infer D extends z.ZodType }
  ? z.infer<D>
  : never;

export const METHOD = {
  topologyGet: 'topology.get',
  topologyWatch: 'topology.watch',
} as const satisfies Record<string, MethodName>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(Methods, name);
}
