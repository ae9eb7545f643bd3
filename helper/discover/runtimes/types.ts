import type { ContainerInfo, Notice, RuntimeNetwork } from '../../../protocol/src/snapshot.js';

/** A running container as its runtime reports it; joined to a namespace through its pid. */
export interface RuntimeContainer {
  pid: number;
  info: ContainerInfo;
  /** The namespace's file when the runtime names one (a CRI pod's /run/netns/cni-…): joined by its inode when the pid is not known. */
  netnsPath?: string;
}

/** A runtime network before assembly: `bridge` (the interface id) is filled in once interfaces are known. */
export type RuntimeNetworkSeed = Omit<RuntimeNetwork, 'bridge'>;

/** What one runtime said, or why it said nothing (`unreachable`). */
export interface RuntimeRead {
  runtime: string;
  containers: RuntimeContainer[];
  networks: RuntimeNetworkSeed[];
  /** Set when the runtime could not be asked: the sentence's reason, e.g. "/run/docker.sock: permission denied". */
  unreachable: string | null;
}

/** A userland port proxy (docker-proxy) found among the processes. */
export interface ProxyMapping {
  pid: number;
  /** Namespace id the proxy listens in. */
  ns: string;
  proto: 'tcp' | 'udp' | 'sctp';
  hostIp: string;
  hostPort: number;
  targetIp: string;
  targetPort: number;
}

/** Everything the runtimes add to a snapshot: pure data, joined in by assembly. */
export interface RuntimeView {
  /** Container identity by network-namespace inode. */
  containersByInode: Map<number, ContainerInfo>;
  networks: RuntimeNetworkSeed[];
  proxies: ProxyMapping[];
  notices: Notice[];
}

export const EMPTY_RUNTIME_VIEW: RuntimeView = { containersByInode: new Map(), networks: [], proxies: [], notices: [] };
