import { describe, expect, it } from 'vitest';
import { exportScript, shellQuote } from '../../../protocol/src/index.js';
import type { Snapshot } from '../../../protocol/src/index.js';
import { HOST, NS1, iface, labSnapshot, ns } from '../../fixtures/snapshots/lab-snapshot.js';

/** The lab fixture plus netloom's own rules (as iptables-save spells them) and a bridge with a port. */
function withNetloom(): Snapshot {
  const s = labSnapshot();
  s.interfaces.push(iface(HOST, 20, 'labbr0', 'bridge', { addresses: ['10.5.0.1/24', 'fe80::1/64'], mtu: 1400 }));
  s.interfaces.push(iface(HOST, 21, 'veth-x', 'veth', { master: `${HOST}/20`, peer: `${NS1}/3` }));
  s.interfaces.push(iface(NS1, 3, 'eth1', 'veth', { addresses: ['10.5.0.2/24'], peer: `${HOST}/21` }));
  s.routes.push({ ns: NS1, table: 'main', dst: 'default', gateway: '10.5.0.1', dev: `${NS1}/3`, src: null, protocol: 'boot', scope: null, metric: null });
  s.routes.push({ ns: NS1, table: 'main', dst: '10.5.0.0/24', gateway: null, dev: `${NS1}/3`, src: '10.5.0.2', protocol: 'kernel', scope: 'link', metric: null });
  s.namespaces[2]!.ipForward = true;
  const tag = '-m comment --comment "netloom:ab12cd34"';
  s.rules.push(
    { ns: HOST, table: 'nat', chain: 'POSTROUTING', spec: '-m comment --comment netloom -j NETLOOM-POSTROUTING', owner: 'netloom', packets: 0, bytes: 0 },
    { ns: HOST, table: 'nat', chain: 'NETLOOM-POSTROUTING', spec: `-s 10.5.0.0/24 ! -d 10.5.0.0/24 ${tag} -j MASQUERADE`, owner: 'netloom', packets: 9, bytes: 900 },
  );
  return s;
}

describe('exportScript', () => {
  const script = exportScript(withNetloom());
  const lines = script.split('\n');

  it('is a bash script that stops at the first failure', () => {
    expect(lines[0]).toBe('#!/usr/bin/env bash');
    expect(lines).toContain('set -euo pipefail');
  });

  it('makes named namespaces and skips container and process ones with a comment', () => {
    expect(lines).toContain('ip netns add ns1');
    expect(script).toMatch(/^# {3}ns:4026532301: container web \(docker\) — its runtime recreates it$/m);
    expect(script).toMatch(/^# {3}ns:4026532500: unnamed, held by sleep infinity$/m);
    expect(script).not.toContain('veth1a2b3c type veth');
  });

  it('makes each veth pair once, with the far end straight in its namespace', () => {
    expect(lines).toContain('ip link add name veth01 type veth peer name eth0 netns ns1');
    expect(lines).toContain('ip link add name veth-x type veth peer name eth1 netns ns1');
    expect(script.match(/peer name eth1/g)).toHaveLength(1);
  });

  it('bridges, masters, MTUs, addresses (not link-local), then up', () => {
    const at = (l: string) => lines.indexOf(l);
    expect(at('ip link add name labbr0 type bridge')).toBeGreaterThan(0);
    expect(at('ip link set dev labbr0 mtu 1400')).toBeGreaterThan(at('ip link add name labbr0 type bridge'));
    expect(at('ip link set dev veth-x master labbr0')).toBeGreaterThan(0);
    expect(lines).toContain('ip addr add 10.5.0.1/24 dev labbr0');
    expect(script).not.toContain('fe80::1/64');
    expect(at('ip -n ns1 link set dev eth1 up')).toBeGreaterThan(at('ip -n ns1 addr add 10.5.0.2/24 dev eth1'));
    // veth01 was down: it stays down.
    expect(lines).not.toContain('ip link set dev veth01 up');
  });

  it('physical devices are named, not made; their routes are commented out', () => {
    expect(script).toMatch(/^# {3}eth0 \(device\) in the host namespace$/m);
    expect(lines).toContain('# not added: ip route add default via 192.168.1.1 dev eth0 metric 100 proto dhcp (eth0 is not made by this script)');
  });

  it('routes someone added, not the kernel ones', () => {
    expect(lines).toContain('ip -n ns1 route add default via 10.5.0.1 dev eth1');
    expect(script).not.toContain('route add 10.5.0.0/24');
  });

  it('forwarding where it is on', () => {
    expect(lines).toContain('sysctl -qw net.ipv4.ip_forward=1');
    expect(lines).toContain('ip netns exec ns1 sysctl -qw net.ipv4.ip_forward=1');
  });

  it("netloom's rules in one iptables-restore per table; nobody else's", () => {
    const start = lines.indexOf("iptables-restore -w 5 --noflush <<'NETLOOM_RULES'");
    expect(lines.slice(start, start + 7)).toEqual([
      "iptables-restore -w 5 --noflush <<'NETLOOM_RULES'",
      '*nat',
      ':NETLOOM-POSTROUTING - [0:0]',
      '-I POSTROUTING 1 -m comment --comment netloom -j NETLOOM-POSTROUTING',
      '-A NETLOOM-POSTROUTING -s 10.5.0.0/24 ! -d 10.5.0.0/24 -m comment --comment "netloom:ab12cd34" -j MASQUERADE',
      'COMMIT',
      'NETLOOM_RULES',
    ]);
    expect(script).not.toContain('docker0 -j MASQUERADE');
    expect(script).not.toContain('--dport 22');
  });

  it('quotes names no shell should read, and keeps comments on one line', () => {
    const s = labSnapshot();
    s.host.hostname = 'evil\nrm -rf /';
    s.namespaces.push(ns(4026532600, 'named', { name: "it's $(x)" }));
    const text = exportScript(s);
    expect(text).toContain(`ip netns add 'it'\\''s $(x)'`);
    expect(text).toContain('# Rebuilds the network of host evil rm -rf / as');
    expect(text).not.toMatch(/^rm -rf/m);
  });

  it('a host namespace with nothing to rebuild still gives a valid script', () => {
    const s = labSnapshot();
    s.namespaces = [s.namespaces[0]!];
    s.interfaces = s.interfaces.filter((i) => i.ns === HOST && i.kind === 'loopback');
    s.routes = [];
    s.rules = [];
    expect(exportScript(s)).toMatch(/set -euo pipefail\n\n# MTUs, bridge ports, addresses, then links up\.\nip link set dev lo up\n/);
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('veth1-br')).toBe('veth1-br');
    expect(shellQuote('10.0.0.0/24')).toBe('10.0.0.0/24');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(shellQuote('$HOME')).toBe("'$HOME'");
  });
});
