import { describe, expect, it } from 'vitest';
import { ownerSentence } from '../../../../renderer/src/control/owner-help.js';
import { containerSnapshot } from '../../../fixtures/snapshots/container-snapshot.js';
import { firewallSnapshot } from '../../../fixtures/snapshots/firewall/load.js';

describe('ownerSentence', () => {
  const pm = containerSnapshot().portMappings.find((m) => m.hostPort === 18080)!;

  it('Docker\'s mapping: who owns it, which docker-proxy listens, and how to change it with Docker', () => {
    const text = ownerSentence(pm);
    expect(text).toContain('Docker made this mapping');
    expect(text).toContain('docker-proxy (pid 3999) listens on the host port, so this host reaches it too.');
    expect(text).toContain('docker run -p 18080:80');
  });

  it('says nothing of a proxy when none listens (userland-proxy off)', () => {
    expect(ownerSentence({ ...pm, proxyPids: undefined })).not.toContain('docker-proxy');
  });
});

describe('ownerSentence for firewalld, kube-proxy and libvirt (real snapshots of their rulesets)', () => {
  const fw = firewallSnapshot('firewalld').snapshot.portMappings;
  const at = (port: number) => fw.find((m) => m.hostPort === port)!;

  it('a forward-port: the firewall-cmd line that removes it, in its zone, ranges kept', () => {
    expect(ownerSentence(at(8080))).toContain('firewall-cmd --zone=public --remove-forward-port=port=8080:proto=tcp:toport=80:toaddr=172.17.0.2');
    expect(ownerSentence(at(9000))).toContain('--remove-forward-port=port=9000-9002:proto=udp:toport=9000-9002:toaddr=172.17.0.2');
    expect(ownerSentence(at(8080))).toContain('firewalld made this forward-port (zone public)');
  });

  it('a REDIRECT (no toaddr) and a rich rule (a destination address) are removed the way they were made', () => {
    expect(ownerSentence(at(2222))).toContain('--remove-forward-port=port=2222:proto=tcp:toport=22 ');
    expect(ownerSentence(at(8081))).toContain(`--remove-rich-rule='rule family="ipv4" destination address="192.0.2.10" forward-port port="8081" protocol="tcp" to-port="80" to-addr="172.17.0.3"'`);
  });

  it('kube-proxy: names the Service to edit; libvirt: the network, not the rule', () => {
    const kube = firewallSnapshot('kube-proxy').snapshot.portMappings[0]!;
    expect(ownerSentence(kube)).toContain('kubectl -n ns1 edit service svc1');
    expect(ownerSentence({ ...kube, owner: 'libvirt' })).toContain('virsh net-edit NAME');
  });
});
