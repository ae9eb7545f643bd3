import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../../../protocol/src/index.js';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { interfaceSize } from '../../../../renderer/src/graph/node-size.js';
import { containerSubtitle, networksOnBridge, runtimeDisplayName } from '../../../../renderer/src/graph/runtime-labels.js';
import { searchSnapshot } from '../../../../renderer/src/graph/search.js';
import { groupRules } from '../../../../renderer/src/panels/group-rules.js';
import { containerSnapshot, USER_BRIDGE } from '../../../fixtures/snapshots/container-snapshot.js';
import { HOST, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';

describe('containers on the canvas', () => {
  const s = containerSnapshot();
  const g = buildGraph(s);
  const node = (id: string) => g.nodes.find((n) => n.id === id);

  it('the fixture is a valid snapshot', () => {
    expect(Snapshot.safeParse(s).success).toBe(true);
  });

  it('names runtimes as their documentation does', () => {
    expect(['docker', 'podman', 'lxc', 'containerd', 'nerdctl', 'crio'].map(runtimeDisplayName)).toEqual(['Docker', 'Podman', 'LXC', 'containerd', 'containerd', 'crio']);
  });

  it('labels a container\'s box with its name, runtime, image and networks — not its inode', () => {
    const web = node(WEB);
    expect(web?.type).toBe('namespace');
    if (web?.type !== 'namespace') return;
    expect(web.data.title).toBe('web');
    expect(web.data.subtitle).toBe('Docker · nginx:1.27 · bridge, my-bridge-network');
    expect(web.data.subtitle).not.toContain(String(web.data.ns.inode));
    expect(web.ariaLabel).toBe('namespace web');
    expect(containerSubtitle({ runtime: 'lxc', id: 'u1', name: 'u1' })).toBe('LXC');
  });

  it('a Podman container\'s namespace, bind-mounted as /run/netns/netns-<uuid>, is still called by the container\'s name', () => {
    const podman = { ...s.namespaces[1]!, kind: 'named' as const, name: 'netns-3f1c0b7e-9a4d-4f0e-b2a1-5c6d7e8f9a0b', container: { runtime: 'podman', id: 'p'.repeat(64), name: 'pweb', image: 'localhost/bb:local', networks: ['podman'] } };
    const box = buildGraph({ ...s, namespaces: [s.namespaces[0]!, podman] }).nodes.find((n) => n.id === podman.id);
    expect(box?.ariaLabel).toBe('namespace pweb');
    expect(box?.type === 'namespace' ? box.data.subtitle : '').toBe('Podman · localhost/bb:local · podman');
  });

  it('gives a bridge its runtime network\'s name, and one more line of height for it', () => {
    const docker0 = node(`${HOST}/3`);
    const user = node(USER_BRIDGE);
    expect(docker0?.type === 'interface' ? docker0.data.networks : null).toEqual(['bridge']);
    expect(user?.type === 'interface' ? user.data.networks : null).toEqual(['my-bridge-network']);
    const veth = node(`${HOST}/10`);
    expect(veth?.type === 'interface' ? veth.data.networks : 'x').toBeUndefined();
    const br = s.interfaces.find((i) => i.id === USER_BRIDGE)!;
    expect(user?.height).toBe(interfaceSize(br).height + 16);
    expect(networksOnBridge(s, `${HOST}/3`).map((n) => n.name)).toEqual(['bridge']);
  });

  it('search finds a container by name and by image', () => {
    expect(searchSnapshot(s, 'web')[0]).toMatchObject({ id: WEB, why: 'name', exact: true });
    expect(searchSnapshot(s, 'nginx')[0]).toMatchObject({ id: WEB, why: 'image nginx:1.27', exact: true });
    expect(searchSnapshot(s, 'nginx:1.2')[0]).toMatchObject({ id: WEB, exact: false });
    expect(searchSnapshot(s, 'redis')).toEqual([]);
  });

  it('the rules view groups carry each chain\'s explanation', () => {
    const filter = groupRules(s, HOST).find((t) => t.table === 'filter');
    expect(filter?.chains.find((c) => c.chain === 'DOCKER-ISOLATION-STAGE-2')?.explanation).toMatch(/Docker networks cannot reach each other/);
    expect(filter?.chains.find((c) => c.chain === 'FORWARD')?.explanation).toBeNull();
  });
});
