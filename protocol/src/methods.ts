import { z } from 'zod';
import { CaptureData, CaptureFullDecode, CaptureFollow, CaptureFollowParams, CapturePacket, CapturePacketParams, CaptureParams, CaptureSaveChunk, CaptureSaveParams, InterfaceName } from './capture.js';
import { PlanApplied, PlanApplyParams, PlanHistory, PlanParams, PlanPreview, PlanUndone } from './control.js';
import { CountersParams, CountersSample } from './counters.js';
import { ExplainParams, ExplainResult, HealthResult, ProbeParams, ProbeResult } from './explain.js';
import { ObserveData, ObserveParams } from './explain-observe.js';
import { FirewallCounters, FirewallCountersParams } from './firewall.js';
import { HostAddParams, HostAddResult, HostListResult, HostPasswordParams, HostPasswordResult, HostRemoveParams, HostRemoveResult } from './host-methods.js';
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

const StreamResult = z.object({ stream: z.union([z.number(), z.string()]) });

export const Methods = {
  'topology.get': { params: z.object({}).strict(), result: Snapshot },
  'topology.watch': {
    params: z.object({}).strict(),
    result: StreamResult,
    data: TopologyWatchData,
  },
  /** Intents → the plan's exact commands, nothing run. */
  'plan.preview': { params: PlanParams, result: PlanPreview },
  /** Intents → plan → applied all or nothing (journaled); with `preview`, only the plan previewed. */
  'plan.apply': { params: PlanApplyParams, result: PlanApplied },
  'plan.history': { params: z.object({}).strict(), result: PlanHistory },
  /** Reverts the last applied plan. */
  'plan.undo': { params: z.object({}).strict(), result: PlanUndone },
  /** A live capture: batches of packet summaries, then an end. */
  'capture.start': { params: CaptureParams, result: StreamResult, data: CaptureData },
  /** Compiles a filter (tcpdump -d) on an interface: ok, or `invalid` with tcpdump's words. */
  'capture.checkFilter': {
    params: z.object({ ns: z.string().regex(/^ns:\d+$/), interface: InterfaceName, filter: z.string().max(1000) }).strict(),
    result: z.object({ ok: z.literal(true) }),
  },
  'capture.packet': { params: CapturePacketParams, result: CapturePacket },
  'capture.follow': { params: CaptureFollowParams, result: CaptureFollow },
  /** Every protocol Wireshark knows, for one packet (tshark), when it is installed. */
  'capture.fullDecode': { params: CapturePacketParams, result: CaptureFullDecode },
  /** The capture as a standard .pcap, in chunks (a line stays under 1 MiB). */
  'capture.save': { params: CaptureSaveParams, result: CaptureSaveChunk },
  /** Rates and totals of every interface, once a period. */
  'counters.watch': { params: CountersParams, result: StreamResult, data: CountersSample },
  /** Why a packet gets through or not: request and response path, findings with fix plans. */
  'explain.path': { params: ExplainParams, result: ExplainResult },
  /** Every finding on the host, grouped by namespace. */
  'explain.health': { params: z.object({}).strict(), result: HealthResult },
  /** A bounded real test (a few pings or one TCP/UDP connect) from inside the source namespace. */
  'explain.probe': { params: ProbeParams, result: ProbeResult },
  /** The far host's half of a probe across hosts: traces its half while another host sends (explain-observe.ts). */
  'explain.observe': { params: ObserveParams, result: StreamResult, data: ObserveData },
  /** Every firewall rule's counters in one namespace, read now (the rules view's live figures). */
  'firewall.counters': { params: FirewallCountersParams, result: FirewallCounters },
  /** Several hosts (host-methods.ts): answered by the host router, `unavailable` from a helper. */
  'hosts.add': { params: HostAddParams, result: HostAddResult },
  'hosts.remove': { params: HostRemoveParams, result: HostRemoveResult },
  'hosts.list': { params: z.object({}).strict(), result: HostListResult },
  'hosts.password': { params: HostPasswordParams, result: HostPasswordResult },
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
  planPreview: 'plan.preview',
  planApply: 'plan.apply',
  planHistory: 'plan.history',
  planUndo: 'plan.undo',
  captureStart: 'capture.start',
  captureCheckFilter: 'capture.checkFilter',
  capturePacket: 'capture.packet',
  captureFollow: 'capture.follow',
  captureFullDecode: 'capture.fullDecode',
  captureSave: 'capture.save',
  countersWatch: 'counters.watch',
  explainPath: 'explain.path',
  explainHealth: 'explain.health',
  explainProbe: 'explain.probe',
  explainObserve: 'explain.observe',
  firewallCounters: 'firewall.counters',
  hostsAdd: 'hosts.add',
  hostsRemove: 'hosts.remove',
  hostsList: 'hosts.list',
  hostsPassword: 'hosts.password',
} as const satisfies Record<string, MethodName>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(Methods, name);
}
