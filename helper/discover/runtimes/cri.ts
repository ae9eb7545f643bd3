import { existsSync } from 'node:fs';
import type { ContainerInfo } from '../../../protocol/src/snapshot.js';
import { CRI_SERVICE, decodeContainers, decodePods, decodePodStatus, EMPTY_REQUEST, podStatusRequest, type CriContainer, type CriPodDetail } from './cri-messages.js';
import { parseCniConfig } from './cri-network.js';
import { GrpcError, grpcSession, type GrpcSession } from './grpc-unix.js';
import { encodeField, WireMessage } from './protobuf-wire.js';
import type { RuntimeContainer, RuntimeRead } from './types.js';
import { RuntimeUnreachable } from './unix-http.js';

/**
 * Kubernetes pods from the CRI (the kubelet's own API to containerd and CRI-O), read over its
 * Unix socket with netloom's small gRPC client — no crictl, no gRPC library in the bundle. Per
 * snapshot: Version (who answers), ListPodSandbox, ListContainers and Status(verbose) (the CNI
 * networks) on one HTTP/2 session; PodSandboxStatus(verbose) only for a pod not seen before (its
 * sandbox process and netns never change while it runs).
 */
export const CRI_SOCKETS = ['/run/containerd/containerd.sock', '/run/crio/crio.sock'];

/** crictl's variable: `unix:///path` names the one socket to ask. */
export function criSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const e = env.CONTAINER_RUNTIME_ENDPOINT;
  if (e !== undefined && e !== '') return e.startsWith('unix://') ? [e.slice('unix://'.length)] : [];
  return CRI_SOCKETS;
}

/** "containerd (CRI)", "CRI-O (CRI)": the runtime as Version names it. */
export function criRuntimeName(versionName: string): string {
  const n = versionName.toLowerCase();
  return `${n === 'containerd' ? 'containerd' : n === 'cri-o' ? 'CRI-O' : versionName} (CRI)`;
}

export interface CriSourceOptions {
  sockets?: string[];
  timeoutMs?: number;
  /** Replaces the socket (tests with recorded answers): method name → answer bytes. */
  session?: (socket: string) => GrpcSession;
  exists?: (path: string) => boolean;
}

const SENTENCE: Record<RuntimeUnreachable['reason'], string> = {
  'no-socket': 'the CRI runtime is not running',
  permission: 'the CRI socket cannot be read (permission denied)',
  timeout: 'the CRI runtime did not answer in time',
  http: 'the CRI runtime refused the question',
  'bad-answer': 'the CRI runtime answered something netloom does not understand',
  error: 'the CRI runtime could not be asked',
};

export function podInfo(runtime: string, pod: { id: string; name: string; namespace: string; uid: string }, detail: CriPodDetail, containers: CriContainer[], networks: string[]): RuntimeContainer {
  // The CRI lists in no fixed order: by name, so a snapshot does not change when nothing did.
  const mine = containers.filter((c) => c.podId === pod.id).sort((a, b) => a.name.localeCompare(b.name));
  const info: ContainerInfo = {
    runtime,
    id: pod.id,
    name: `pod ${pod.namespace}/${pod.name}`,
    image: mine.find((c) => c.state === 'running')?.image ?? mine[0]?.image ?? '',
    networks,
    pid: detail.pid,
    pod: { namespace: pod.namespace, name: pod.name, uid: pod.uid, containers: mine.map(({ id, name, image, state }) => ({ id, name, image, state })) },
  };
  return { pid: detail.pid, info, ...(detail.netnsPath !== null ? { netnsPath: detail.netnsPath } : {}) };
}

export class CriSource {
  private readonly details = new Map<string, CriPodDetail>();
  constructor(private readonly opts: CriSourceOptions = {}) {}

  /** One read per socket that exists; none when no CRI runtime is installed. */
  async read(signal?: AbortSignal): Promise<RuntimeRead[]> {
    const exists = this.opts.exists ?? existsSync;
    const sockets = (this.opts.sockets ?? criSockets()).filter((s) => this.opts.session !== undefined || exists(s));
    return Promise.all(sockets.map((s) => this.readOne(s, signal)));
  }

  private async readOne(socket: string, signal?: AbortSignal): Promise<RuntimeRead> {
    const session = this.opts.session?.(socket) ?? grpcSession(socket, this.opts.timeoutMs ?? 2000, signal);
    const call = (method: string, req: Uint8Array): Promise<Uint8Array> => session.call(`${CRI_SERVICE}/${method}`, req);
    let runtime = 'CRI';
    try {
      runtime = criRuntimeName(new WireMessage(await call('Version', EMPTY_REQUEST)).string(2));
      const [pods, containers, status] = await Promise.all([call('ListPodSandbox', EMPTY_REQUEST), call('ListContainers', EMPTY_REQUEST), call('Status', encodeField(1, true)).catch(() => null)]);
      const networks = status === null ? [] : parseCniConfig(new WireMessage(status).map(2).cniconfig ?? '', runtime);
      const ready = decodePods(pods).filter((p) => p.ready);
      for (const id of [...this.details.keys()]) if (!ready.some((p) => p.id === id)) this.details.delete(id);
      const fresh = ready.filter((p) => !this.details.has(p.id));
      const got = await Promise.all(fresh.map((p) => call('PodSandboxStatus', podStatusRequest(p.id)).then(decodePodStatus, () => null)));
      fresh.forEach((p, i) => {
        const d = got[i];
        if (d !== null && d !== undefined) this.details.set(p.id, d);
      });
      const list = decodeContainers(containers);
      const names = networks.map((n) => n.name);
      const out = ready.flatMap((p) => {
        const d = this.details.get(p.id);
        return d === undefined ? [] : [podInfo(runtime, p, d, list, names)];
      });
      return { runtime, containers: out, networks, unreachable: null };
    } catch (e) {
      this.details.clear();
      const why = e instanceof RuntimeUnreachable ? SENTENCE[e.reason] : e instanceof GrpcError ? `the CRI runtime refused the question (${e.message})` : SENTENCE.error;
      return { runtime, containers: [], networks: [], unreachable: `${why} (${socket})` };
    } finally {
      session.close();
    }
  }
}
