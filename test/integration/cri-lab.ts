import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInSandbox, sh } from '../sandbox.js';
import { removeCgroupsNamed } from './cgroups.js';
import { criClient, type CriClient } from './cri-client.js';
import { CRI_IMAGE, makeBusyboxOci } from './cri-image.js';

/**
 * A Kubernetes node's container side inside the sandbox: Debian 12's containerd (1.6, CRI plugin
 * on) with root, state, socket and CNI configs in a temp dir, CNI from containernetworking-plugins
 * (bridge cni0 + host-local + portmap, the conflist kubeadm guides use), host-local's leases and
 * libcni's cache on a tmpfs over /var/lib/cni (the sandbox's own mount namespace), pod netns in
 * the sandbox's private /run/netns, cgroups under `netloom-cri`. Pods are made through the CRI as
 * the kubelet makes them; nothing is pulled.
 */
export const CNI_BIN = '/usr/lib/cni';
export const POD_SUBNET = '10.88.7.0/24';
const CGROUP_PARENT = 'netloom-cri';
export const SLEEP = ['/bin/sleep', '2147483647'];

export const criInstalled = (): string | null =>
  !existsSync('/usr/bin/containerd') || !existsSync('/usr/bin/ctr') || !existsSync('/usr/sbin/runc')
    ? 'containerd (Debian package containerd) is not installed'
    : !existsSync(join(CNI_BIN, 'bridge')) || !existsSync(join(CNI_BIN, 'portmap'))
      ? 'the CNI plugins (Debian package containernetworking-plugins) are not installed'
      : null;

export interface PodSpec {
  name: string;
  namespace: string;
  uid: string;
  /** hostPort → containerPort 80 (tcp), through portmap. */
  hostPort?: number;
  /** Containers started in the pod, each running busybox httpd on port 80 (the first) or sleeping. */
  containers?: string[];
}

export interface CriLab {
  socket: string;
  cri: CriClient;
  runPod: (spec: PodSpec) => Promise<string>;
  /** Creates and starts one more container in a running pod (as the kubelet does once an image is pulled). */
  addContainer: (podId: string, name: string, command: string[]) => Promise<string>;
  removePod: (id: string) => Promise<void>;
  stop: () => Promise<void>;
}

function conflist(ipamDir: string): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'netloom-pods',
    plugins: [
      { type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: true, ipam: { type: 'host-local', ranges: [[{ subnet: POD_SUBNET }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: ipamDir } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  });
}

function config(dir: string): string {
  return `version = 2
root = "${dir}/root"
state = "${dir}/state"
[grpc]
  address = "${dir}/containerd.sock"
[ttrpc]
  address = "${dir}/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${CRI_IMAGE}"
  # The CRI gives the pause process oom_score_adj -998; lowering it needs CAP_SYS_RESOURCE, which
  # this machine's root lacks (runc then fails "can't get final child's PID from pipe").
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${CNI_BIN}"
    conf_dir = "${dir}/net.d"
`;
}

export async function startContainerd(): Promise<CriLab> {
  assertInSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'netloom-cri-'));
  mkdirSync(join(dir, 'net.d'));
  writeFileSync(join(dir, 'net.d', '10-netloom-pods.conflist'), conflist(join(dir, 'ipam')));
  writeFileSync(join(dir, 'config.toml'), config(dir));
  mkdirSync('/var/lib/cni', { recursive: true });
  await sh(['mount', '-t', 'tmpfs', 'tmpfs', '/var/lib/cni']);
  const socket = join(dir, 'containerd.sock');
  let log = '';
  const containerd: ChildProcess = spawn('/usr/bin/containerd', ['--config', join(dir, 'config.toml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  containerd.stderr?.on('data', (c: Buffer) => {
    log = (log + c.toString()).slice(-4000);
  });
  const cri = criClient(socket);
  for (let i = 0; ; i++) {
    if (containerd.exitCode !== null) throw new Error(`containerd exited (${containerd.exitCode}): ${log}`);
    if (existsSync(socket) && (await cri.call('Version', {}).then(() => true, () => false))) break;
    if (i > 100) throw new Error(`containerd's CRI did not answer within 10 s: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await sh(['ctr', '-a', socket, '-n', 'k8s.io', 'images', 'import', '--snapshotter', 'native', await makeBusyboxOci(dir)]);
  const pods: string[] = [];

  const sandboxConfigs = new Map<string, object>();
  const addContainer = async (podSandboxId: string, name: string, command: string[]): Promise<string> => {
    const { containerId } = await cri.call<{ containerId: string }>('CreateContainer', {
      podSandboxId,
      config: { metadata: { name, attempt: 0 }, image: { image: CRI_IMAGE }, command },
      sandboxConfig: sandboxConfigs.get(podSandboxId),
    });
    await cri.call('StartContainer', { containerId });
    return containerId;
  };
  const runPod = async (spec: PodSpec): Promise<string> => {
    const sandboxConfig = {
      metadata: { name: spec.name, namespace: spec.namespace, uid: spec.uid, attempt: 0 },
      hostname: spec.name,
      portMappings: spec.hostPort === undefined ? [] : [{ protocol: 'TCP', containerPort: 80, hostPort: spec.hostPort }],
      labels: { 'io.kubernetes.pod.name': spec.name, 'io.kubernetes.pod.namespace': spec.namespace, 'io.kubernetes.pod.uid': spec.uid },
      linux: { cgroupParent: `/${CGROUP_PARENT}` },
    };
    const { podSandboxId } = await cri.call<{ podSandboxId: string }>('RunPodSandbox', { config: sandboxConfig });
    pods.push(podSandboxId);
    sandboxConfigs.set(podSandboxId, sandboxConfig);
    for (const [i, name] of (spec.containers ?? []).entries()) {
      const httpd = ['/bin/sh', '-c', `mkdir -p /www && echo "hello from ${spec.namespace}/${spec.name}" > /www/index.html && exec httpd -f -p 80 -h /www`];
      await addContainer(podSandboxId, name, i === 0 ? httpd : SLEEP);
    }
    return podSandboxId;
  };
  const removePod = async (id: string): Promise<void> => {
    await cri.call('StopPodSandbox', { podSandboxId: id });
    await cri.call('RemovePodSandbox', { podSandboxId: id });
  };
  const stop = async (): Promise<void> => {
    for (const id of pods) await removePod(id).catch(() => {});
    cri.close();
    if (containerd.exitCode === null && containerd.pid !== undefined) {
      const exited = new Promise((r) => containerd.once('exit', r));
      process.kill(containerd.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    await sh(['umount', '/var/lib/cni']).catch(() => '');
    await sh(['ip', 'link', 'delete', 'cni0']).catch(() => '');
    removeCgroupsNamed(CGROUP_PARENT);
    rmSync(dir, { recursive: true, force: true });
  };
  return { socket, cri, runPod, addContainer, removePod, stop };
}
