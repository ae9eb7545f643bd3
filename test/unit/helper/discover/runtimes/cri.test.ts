import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CriSource, criRuntimeName, criSockets } from '../../../../../helper/discover/runtimes/cri.js';
import { decodeContainers, decodePods, decodePodStatus } from '../../../../../helper/discover/runtimes/cri-messages.js';
import { parseCniConfig } from '../../../../../helper/discover/runtimes/cri-network.js';
import { GrpcError, type GrpcSession } from '../../../../../helper/discover/runtimes/grpc-unix.js';
import { encodeField, readFields, WireError, WireMessage } from '../../../../../helper/discover/runtimes/protobuf-wire.js';
import { RuntimeUnreachable } from '../../../../../helper/discover/runtimes/unix-http.js';

// Real answers of Debian 12's containerd 1.6.20 CRI in the sandbox (test/fixtures/cri/record.md).
const recorded = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/cri/containerd-1.6.json'), 'utf8')) as Record<string, string>;
const answer = (key: string): Uint8Array => new Uint8Array(Buffer.from(recorded[key] ?? '', 'base64'));

function fakeSession(calls: string[], fail?: (method: string) => Error | null): GrpcSession {
  const byMethod: Record<string, string> = { Version: 'Version', ListPodSandbox: 'ListPodSandbox', PodSandboxStatus: 'PodSandboxStatus(web, verbose)', ListContainers: 'ListContainers', Status: 'Status(verbose)' };
  return {
    call: (path) => {
      const method = path.split('/').at(-1) ?? '';
      calls.push(method);
      const err = fail?.(method) ?? null;
      return err !== null ? Promise.reject(err) : Promise.resolve(answer(byMethod[method] ?? ''));
    },
    close: () => {},
  };
}

describe('CRI answers (recorded from containerd 1.6)', () => {
  it('lists the pod sandboxes with their Kubernetes names', () => {
    const pods = decodePods(answer('ListPodSandbox'));
    expect(pods.map((p) => `${p.namespace}/${p.name} ${p.uid} ${p.ready}`).sort()).toEqual(['default/web uid-web-1 true', 'shop/db uid-db-1 true']);
    expect(pods.every((p) => /^[0-9a-f]{64}$/.test(p.id))).toBe(true);
    expect(pods.find((p) => p.name === 'web')?.labels['io.kubernetes.pod.namespace']).toBe('default');
  });

  it('lists the containers by pod', () => {
    const web = decodePods(answer('ListPodSandbox')).find((p) => p.name === 'web');
    const cs = decodeContainers(answer('ListContainers'));
    expect(cs.map((c) => [c.name, c.image, c.state, c.podId === web?.id]).sort()).toEqual([
      ['httpd', 'docker.io/netloom/bb:local', 'running', true],
      ['sidecar', 'docker.io/netloom/bb:local', 'running', true],
    ]);
  });

  it('reads the sandbox pid and netns file from the verbose status', () => {
    const d = decodePodStatus(answer('PodSandboxStatus(web, verbose)'));
    expect(d.pid).toBeGreaterThan(1);
    expect(d.netnsPath).toMatch(/^\/var\/run\/netns\/cni-[0-9a-f-]{36}$/);
    expect(d.ip).toBe('10.88.7.2');
  });

  it('names the CNI bridge network from Status(verbose) cniconfig', () => {
    const info = new WireMessage(answer('Status(verbose)')).map(2);
    const nets = parseCniConfig(info.cniconfig ?? '', 'containerd (CRI)');
    expect(nets).toHaveLength(1); // cni-loopback has no bridge
    expect(nets[0]).toMatchObject({ runtime: 'containerd (CRI)', name: 'netloom-pods', driver: 'bridge + portmap', bridgeName: 'cni0', subnet: '10.88.7.0/24', gateway: null });
    expect(nets[0]?.explanation.join(' ')).toContain('hostPort');
  });

  it('names the runtime from Version', () => {
    expect(criRuntimeName(new WireMessage(answer('Version')).string(2))).toBe('containerd (CRI)');
    expect(criRuntimeName('cri-o')).toBe('CRI-O (CRI)');
  });
});

describe('CriSource', () => {
  it('reads pods as containers named "pod NAMESPACE/NAME", asking each pod\'s status once', async () => {
    const calls: string[] = [];
    const src = new CriSource({ sockets: ['/run/containerd/containerd.sock'], session: () => fakeSession(calls) });
    const [read] = await src.read();
    expect(read?.unreachable).toBeNull();
    expect(read?.runtime).toBe('containerd (CRI)');
    const web = read?.containers.find((c) => c.info.name === 'pod default/web');
    expect(web?.info.pod?.containers.map((c) => c.name)).toEqual(['httpd', 'sidecar']);
    expect(web?.info.networks).toEqual(['netloom-pods']);
    expect(web?.netnsPath).toMatch(/^\/var\/run\/netns\/cni-/);
    expect(read?.networks.map((n) => n.bridgeName)).toEqual(['cni0']);
    expect(calls.filter((c) => c === 'PodSandboxStatus')).toHaveLength(2);
    calls.length = 0;
    await src.read();
    expect(calls.filter((c) => c === 'PodSandboxStatus')).toHaveLength(0);
  });

  it('says why when the runtime cannot be asked, and asks no socket that does not exist', async () => {
    const src = new CriSource({ sockets: ['/run/crio/crio.sock'], session: () => fakeSession([], () => new RuntimeUnreachable('permission', 'EACCES')) });
    const [read] = await src.read();
    expect(read?.unreachable).toBe('the CRI socket cannot be read (permission denied) (/run/crio/crio.sock)');
    const refused = new CriSource({ sockets: ['/s'], session: () => fakeSession([], (m) => (m === 'ListPodSandbox' ? new GrpcError(12, 'unimplemented') : null)) });
    expect((await refused.read())[0]?.unreachable).toContain('refused');
    expect(await new CriSource({ sockets: ['/nonexistent/cri.sock'] }).read()).toEqual([]);
  });

  it('takes crictl\'s CONTAINER_RUNTIME_ENDPOINT', () => {
    expect(criSockets({ CONTAINER_RUNTIME_ENDPOINT: 'unix:///tmp/x/containerd.sock' })).toEqual(['/tmp/x/containerd.sock']);
    expect(criSockets({ CONTAINER_RUNTIME_ENDPOINT: 'tcp://1.2.3.4:1' })).toEqual([]);
    expect(criSockets({})).toEqual(['/run/containerd/containerd.sock', '/run/crio/crio.sock']);
  });
});

describe('protobuf wire', () => {
  it('round-trips request fields and refuses truncated messages', () => {
    const m = new WireMessage(Uint8Array.from([...encodeField(1, 'abc'), ...encodeField(2, true), ...encodeField(3, encodeField(1, 'x'.repeat(200)))]));
    expect([m.string(1), m.uint(2), m.message(3).string(1).length]).toEqual(['abc', 1, 200]);
    expect(() => readFields(Uint8Array.from([0x0a, 0x05, 0x61]))).toThrow(WireError);
    expect(() => readFields(Uint8Array.from([0x08, 0xff]))).toThrow(WireError);
  });
});
