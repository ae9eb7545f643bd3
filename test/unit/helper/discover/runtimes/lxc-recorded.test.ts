import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Namespace } from '../../../../../protocol/src/snapshot.js';
import type { FoundNamespace } from '../../../../../helper/discover/namespaces.js';
import { containerFromCgroup } from '../../../../../helper/discover/proc-info.js';
import { parseIptablesSave } from '../../../../../helper/firewall/iptables-save.js';
import { lxcNetworkFromDnsmasq, lxcView, parseLxcConfig } from '../../../../../helper/discover/runtimes/lxc.js';
import { parentPidFromStat, parseLxcStarter } from '../../../../../helper/discover/runtimes/lxc-monitor.js';

// Real LXC 5.0.2 (Debian 12's lxc, lxc-templates and dnsmasq-base, extracted, never installed) run
// inside the network sandbox by test/fixtures/lxc/record.sh: lxc-net's lxcbr0 + dnsmasq + iptables
// rules, nl-bb1 (busybox template, /var/lib/lxc, `lxc-start -d`: its parent is the monitor) and
// nl-fg2 (a private lxcpath, `lxc-start -P DIR -F`: its parent is lxc-start), both on lxcbr0.
const dir = join(__dirname, '..', '..', '..', '..', 'fixtures', 'lxc');
const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
const snapshot = JSON.parse(text('snapshot.json')) as { namespaces: Namespace[] };
const FG2_LXCPATH = parseLxcStarter(text('fg2-starter.cmdline'))?.lxcpath ?? '';
/** The first field of /proc/PID/stat is the pid. */
const pidOf = (stat: string): number => Number(stat.split(' ')[0]);
const DNSMASQ_PID = snapshot.namespaces.flatMap((n) => n.processes ?? []).find((p) => p.command === 'dnsmasq')?.pid ?? 0;
const byName = (name: string): Namespace => {
  const n = snapshot.namespaces.find((x) => x.container?.name === name);
  if (n === undefined) throw new Error(`${name} is not in the recorded snapshot`);
  return n;
};

describe('LXC, recorded from the real tools', () => {
  it('names the container from its cgroup on this cgroup v1 + v2 hybrid (memory nested under process_api)', () => {
    const cgroup = text('cgroup.txt');
    expect(cgroup).toContain('0::/lxc.payload.nl-bb1');
    expect(cgroup).toMatch(/memory:\/process_api\/[0-9a-f]+\/lxc\.payload\.nl-bb1/);
    expect(containerFromCgroup(cgroup)).toEqual({ runtime: 'lxc', id: 'nl-bb1', name: 'nl-bb1' });
    expect(containerFromCgroup(text('fg2-cgroup.txt'))).toEqual({ runtime: 'lxc', id: 'nl-fg2', name: 'nl-fg2' });
  });

  it('reads the bridge and the template from the config lxc-create wrote', () => {
    expect(parseLxcConfig(text('config'))).toEqual({ links: ['lxcbr0'], template: 'busybox' });
    expect(parseLxcConfig(text('fg2-config'))).toEqual({ links: ['lxcbr0'], template: 'busybox' });
  });

  it('finds the lxcpath from the init\'s parent: the monitor (background) or lxc-start -F (foreground)', () => {
    const monitor = snapshot.namespaces.find((n) => n.kind === 'host')?.processes?.find((p) => p.pid === parentPidFromStat(text('init.stat')));
    expect(monitor?.command).toBe('lxc-start'); // the monitor is a fork of lxc-start -d: comm stays, argv is retitled
    expect(parseLxcStarter(text('monitor.cmdline'))).toEqual({ lxcpath: '/var/lib/lxc', name: 'nl-bb1' });
    expect(FG2_LXCPATH).toMatch(/^\/tmp\/netloom-lxc-\w+\/lxcpath$/);
    expect(parseLxcStarter(text('fg2-starter.cmdline'))).toEqual({ lxcpath: FG2_LXCPATH, name: 'nl-fg2' });
  });

  it('explains lxcbr0 from lxc-net\'s dnsmasq command line', () => {
    expect(lxcNetworkFromDnsmasq(text('dnsmasq.cmdline'), DNSMASQ_PID)).toMatchObject({
      runtime: 'lxc',
      name: 'lxcbr0',
      bridgeName: 'lxcbr0',
      options: { 'dhcp-range': '10.0.3.2,10.0.3.254' },
      explanation: [`LXC's lxcbr0: DHCP range 10.0.3.2–10.0.3.254 (dnsmasq pid ${DNSMASQ_PID})`],
    });
  });

  it('owns every rule lxc-net wrote (iptables mode): INPUT DNS/DHCP, FORWARD, MASQUERADE, CHECKSUM', () => {
    const { rules } = parseIptablesSave(text('iptables-save.txt'), 'ns:1');
    expect(rules.map((r) => `${r.table} ${r.chain} ${r.owner}`).sort()).toEqual(
      [
        'filter FORWARD lxc',
        'filter FORWARD lxc',
        'filter INPUT lxc',
        'filter INPUT lxc',
        'filter INPUT lxc',
        'filter INPUT lxc',
        'mangle POSTROUTING lxc',
        'nat POSTROUTING lxc',
      ].sort(),
    );
  });

  it('lxcView joins the recorded processes and files as the snapshot did', async () => {
    const files: Record<string, string> = {
      [`/proc/${DNSMASQ_PID}/cmdline`]: text('dnsmasq.cmdline'),
      [`/proc/${pidOf(text('init.stat'))}/stat`]: text('init.stat'),
      [`/proc/${parentPidFromStat(text('init.stat'))}/cmdline`]: text('monitor.cmdline'),
      '/var/lib/lxc/nl-bb1/config': text('config'),
      [`/proc/${pidOf(text('fg2-init.stat'))}/stat`]: text('fg2-init.stat'),
      [`/proc/${parentPidFromStat(text('fg2-init.stat'))}/cmdline`]: text('fg2-starter.cmdline'),
      [`${FG2_LXCPATH}/nl-fg2/config`]: text('fg2-config'),
    };
    const found: FoundNamespace[] = snapshot.namespaces.map((n) => ({
      target: { id: n.id, path: `/proc/${n.pids[0] ?? 1}/ns/net`, name: null, own: n.kind === 'host' },
      inode: n.inode,
      name: n.name,
      kind: n.kind,
      pids: n.pids,
      processes: n.processes ?? [],
      // What the scan knows before the runtimes are asked: the cgroup's guess.
      container: n.container === null ? null : { runtime: 'lxc', id: n.container.id, name: n.container.name },
    }));
    const view = await lxcView(found, [DNSMASQ_PID], (p) => Promise.resolve(files[p] ?? null));
    for (const name of ['nl-bb1', 'nl-fg2']) {
      const ns = byName(name);
      expect(view.containers.get(ns.inode)).toEqual(ns.container);
    }
    expect(byName('nl-bb1').container).toEqual({ runtime: 'lxc', id: 'nl-bb1', name: 'nl-bb1', pid: pidOf(text('init.stat')), networks: ['lxcbr0'], image: 'busybox' });
    expect(byName('nl-fg2').container?.pid).toBe(pidOf(text('fg2-init.stat')));
    expect(view.networks.map((n) => n.explanation)).toEqual([[`LXC's lxcbr0: DHCP range 10.0.3.2–10.0.3.254 (dnsmasq pid ${DNSMASQ_PID})`]]);
  });
});
