import { z } from 'zod';
import { encodeField, WireMessage } from './protobuf-wire.js';

/**
 * The CRI v1 answers netloom reads (k8s.io/cri-api pkg/apis/runtime/v1/api.proto, field numbers
 * from there), decoded from the wire into plain data. Fixtures: test/fixtures/cri (record.md).
 */
export const CRI_SERVICE = '/runtime.v1.RuntimeService';

export interface CriPod {
  id: string;
  name: string;
  namespace: string;
  uid: string;
  /** 0 SANDBOX_READY, 1 SANDBOX_NOTREADY. */
  ready: boolean;
  labels: Record<string, string>;
}

export interface CriContainer {
  id: string;
  podId: string;
  name: string;
  image: string;
  /** CONTAINER_CREATED, _RUNNING, _EXITED, _UNKNOWN, as the CRI's enum says it. */
  state: 'created' | 'running' | 'exited' | 'unknown';
}

/** What PodSandboxStatus(verbose) adds: the sandbox's process and its network namespace. */
export interface CriPodDetail {
  pid: number;
  netnsPath: string | null;
  ip: string | null;
}

/** ListPodSandboxRequest{}, ListContainersRequest{}: no filter. */
export const EMPTY_REQUEST = new Uint8Array(0);

/** PodSandboxStatusRequest{pod_sandbox_id: 1, verbose: 2}. */
export const podStatusRequest = (id: string): Uint8Array => Uint8Array.from([...encodeField(1, id), ...encodeField(2, true)]);

export function decodePods(buf: Uint8Array): CriPod[] {
  return new WireMessage(buf).messages(1).map((p) => {
    const meta = p.message(2);
    return { id: p.string(1), name: meta.string(1), uid: meta.string(2), namespace: meta.string(3), ready: p.uint(3) === 0, labels: p.map(5) };
  });
}

const STATES = ['created', 'running', 'exited', 'unknown'] as const;

export function decodeContainers(buf: Uint8Array): CriContainer[] {
  return new WireMessage(buf).messages(1).map((c) => ({
    id: c.string(1),
    podId: c.string(2),
    name: c.message(3).string(1),
    image: c.message(4).string(1),
    state: STATES[c.uint(6)] ?? 'unknown',
  }));
}

/**
 * The verbose `info["info"]` JSON: containerd's and CRI-O's both carry the sandbox's pid and its
 * OCI runtime spec, whose network namespace entry names the netns file (/var/run/netns/cni-…).
 */
const VerboseInfo = z.object({
  pid: z.number().int().nonnegative().optional(),
  runtimeSpec: z
    .object({ linux: z.object({ namespaces: z.array(z.object({ type: z.string(), path: z.string().optional() })).optional() }).optional() })
    .optional(),
});

export function decodePodStatus(buf: Uint8Array): CriPodDetail {
  const m = new WireMessage(buf);
  const ip = m.message(1).message(5).string(1);
  const raw = m.map(2).info;
  let pid = 0;
  let netnsPath: string | null = null;
  if (raw !== undefined) {
    try {
      const info = VerboseInfo.parse(JSON.parse(raw));
      pid = info.pid ?? 0;
      netnsPath = info.runtimeSpec?.linux?.namespaces?.find((n) => n.type === 'network')?.path ?? null;
    } catch {
      // another runtime's verbose shape: the pod keeps its name but no namespace joins it
    }
  }
  return { pid, netnsPath, ip: ip === '' ? null : ip };
}
