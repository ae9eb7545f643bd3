import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExplainHostsArgs } from '../../../../helper/hosts/explain-hosts-args.js';
import { hostNsLabel, parseHostEndpoint, resolveHostEndpoint } from '../../../../helper/hosts/host-endpoints.js';
import { mergeSnapshots, type HostPicture } from '../../../../protocol/src/merge-snapshots.js';
import { Snapshot } from '../../../../protocol/src/snapshot.js';

// `netloom --host a=… --host b=… explain app-a@hosta app-b@hostb` (issue 14): the two hosts' real
// snapshots of the VXLAN lab (test/fixtures/tunnels), merged as the CLI merges them.
const read = (f: string): Snapshot => Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/tunnels', f), 'utf8')));
const entry = (name: string): HostPicture['entry'] => ({ name, local: false, destination: `root@${name}`, hostname: name, kernel: null, state: 'live', error: null, takenAt: null });
const merged = mergeSnapshots([
  { entry: entry('hosta'), snapshot: read('host-a.snapshot.json') },
  { entry: entry('hostb'), snapshot: read('host-b.snapshot.json') },
]);

describe('NS@HOST endpoints', () => {
  it('resolve a name, `host` and ns:<inode> to the merged picture\'s ids, and label them by host', () => {
    const appA = resolveHostEndpoint(merged, parseHostEndpoint('app-a@hosta', 'src'), 'src');
    expect(appA).toBe('host:hosta/ns:4026532383');
    expect(hostNsLabel(merged, appA)).toBe('app-a on hosta');
    const hostB = resolveHostEndpoint(merged, parseHostEndpoint('host@hostb', 'dst'), 'dst');
    expect(hostB).toMatch(/^host:hostb\/ns:\d+$/);
    expect(hostNsLabel(merged, hostB)).toBe('host on hostb');
    expect(resolveHostEndpoint(merged, parseHostEndpoint('ns:4026532383@hosta', 'src'), 'src')).toBe(appA);
  });

  it('an unknown host, a namespace the host does not have, a missing @: errors naming the field and what there is', () => {
    expect(() => resolveHostEndpoint(merged, { ns: 'app-b', host: 'hostc' }, 'dst')).toThrow('dst: no --host is called "hostc" (the hosts: hosta, hostb)');
    expect(() => resolveHostEndpoint(merged, { ns: 'app-b', host: 'hosta' }, 'src')).toThrow('src: host hosta has no namespace "app-b" (its namespaces: app-a, host)');
    expect(() => parseHostEndpoint('app-a', 'src')).toThrow('say which host holds the namespace: NAMESPACE@HOST');
    expect(() => parseHostEndpoint('app-a@', 'src')).toThrow('NAMESPACE@HOST');
  });
});

describe('explain args across hosts', () => {
  it('takes the ends, protocol, port, --probe, --trace (a probe too) and --json', () => {
    expect(parseExplainHostsArgs(['app-a@hosta', 'app-b@hostb', '--port', '80', '--trace', '--json'])).toEqual({
      src: { ns: 'app-a', host: 'hosta' },
      dst: { ns: 'app-b', host: 'hostb' },
      proto: 'tcp',
      port: 80,
      probe: true,
      trace: true,
      json: true,
    });
  });

  it('refuses --fix (a plan runs on one host), a bad port or protocol, tcp without a port, a third end', () => {
    expect(() => parseExplainHostsArgs(['a@x', 'b@y', '--fix'])).toThrow('--fix runs a plan on one host');
    expect(() => parseExplainHostsArgs(['a@x', 'b@y', '--port', '99999'])).toThrow('--port "99999" is not a port');
    expect(() => parseExplainHostsArgs(['a@x', 'b@y', '--proto', 'sctp'])).toThrow('--proto "sctp" is not tcp, udp or icmp');
    expect(() => parseExplainHostsArgs(['a@x', 'b@y', '--proto', 'udp'])).toThrow('tcp and udp need a port');
    expect(() => parseExplainHostsArgs(['a@x', 'b@y', 'c@z'])).toThrow('give a source and a destination');
  });
});
