import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerFromCgroup } from '../../../../../helper/discover/proc-info.js';
import { parseIptablesSave } from '../../../../../helper/firewall/iptables-save.js';
import { derivePortMappings } from '../../../../../helper/discover/port-mappings.js';
import { parseLibpodContainers, parseLibpodNetworks, parseStorageContainers, PodmanSource } from '../../../../../helper/discover/runtimes/podman.js';

// Real output of Debian 12's podman 4.3.1 + netavark 1.4.0, run rootful inside the network sandbox
// by test/fixtures/podman/record.sh (three containers: pweb -p 18081:80 on "podman", papp on
// pm-net 10.89.5.0/24, pquiet on the internal pm-internal).
const dir = join(__dirname, '..', '..', '..', '..', 'fixtures', 'podman');
const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
const json = (name: string): unknown => JSON.parse(text(name));
/** pids-netns-cgroup.txt: "NAME PID net:[INODE] CGROUP-LINE" per container. */
const recorded = text('pids-netns-cgroup.txt')
  .trim()
  .split('\n')
  .map((l) => {
    const [name, pid, , cgroup] = l.split(' ');
    return { name: name ?? '', pid: Number(pid), cgroup: cgroup ?? '' };
  });

describe('Podman, recorded from the real tool', () => {
  it('names every running container from libpod\'s list, with its pid, image and networks', () => {
    const got = parseLibpodContainers(json('libpod-containers.json'));
    const byName = new Map(got.map((c) => [c.info.name, c]));
    for (const [name, net] of [['pweb', 'podman'], ['papp', 'pm-net'], ['pquiet', 'pm-internal']] as const) {
      const r = recorded.find((x) => x.name === name);
      expect(byName.get(name)).toEqual({
        pid: r?.pid,
        info: { runtime: 'podman', id: expect.stringMatching(/^[0-9a-f]{64}$/), name, image: 'localhost/bb:local', networks: [net], pid: r?.pid },
      });
    }
  });

  it('explains netavark\'s bridges podman0 / podman1 / podman2 and the internal network', () => {
    const nets = new Map(parseLibpodNetworks(json('libpod-networks.json')).map((n) => [n.name, n]));
    expect(nets.get('podman')).toMatchObject({ bridgeName: 'podman0', subnet: '10.88.0.0/16', gateway: '10.88.0.1', explanation: ["bridge network 'podman' on podman0, 10.88.0.0/16 via 10.88.0.1"] });
    expect(nets.get('pm-net')).toMatchObject({ bridgeName: 'podman1', subnet: '10.89.5.0/24', gateway: '10.89.5.1' });
    expect(nets.get('pm-internal')?.explanation).toContain('pm-internal is internal: containers on it cannot reach outside the host');
    // `podman network inspect` prints the same documents as the API's list.
    const inspect = parseLibpodNetworks(json('network-inspect.json'));
    expect(inspect.map((n) => [n.name, n.bridgeName])).toEqual([['podman', 'podman0'], ['pm-net', 'podman1'], ['pm-internal', 'podman2']]);
  });

  it('finds the container by cgroup (libpod-<id>) and its name in containers/storage when no API runs', () => {
    const names = parseStorageContainers(text('storage-containers.json'));
    for (const r of recorded) {
      const c = containerFromCgroup(r.cgroup);
      expect(c?.runtime).toBe('podman');
      expect(names.get(c?.id ?? '')).toBe(r.name);
    }
  });

  it('owns netavark\'s rules and derives its port mapping 18081 → 10.88.0.2:80', () => {
    const { rules, chains } = parseIptablesSave(text('iptables-save.txt'), 'ns:1');
    for (const r of rules) expect(r.owner, `${r.chain} ${r.spec}`).toBe('podman');
    expect(chains.filter((c) => c.chain.startsWith('NETAVARK')).every((c) => c.owner === 'podman')).toBe(true);
    const m = derivePortMappings({ namespaces: [], interfaces: [], rules, routes: [] });
    expect(m).toContainEqual(expect.objectContaining({ proto: 'tcp', hostPort: 18081, targetIp: '10.88.0.2', targetPort: 80, owner: 'podman' }));
  });

  it('PodmanSource asks the two libpod endpoints and reads them', async () => {
    const asked: string[] = [];
    const src = new PodmanSource({
      get: async (path) => {
        asked.push(path);
        return json(path.includes('networks') ? 'libpod-networks.json' : 'libpod-containers.json');
      },
    });
    const r = await src.read();
    expect(asked.sort()).toEqual(['/v4.0.0/libpod/containers/json', '/v4.0.0/libpod/networks/json']);
    expect(r.unreachable).toBeNull();
    expect(r.containers.map((c) => c.info.name).sort()).toEqual(['papp', 'pquiet', 'pweb']);
    expect(r.networks.map((n) => n.bridgeName).sort()).toEqual(['podman0', 'podman1', 'podman2']);
  });
});
