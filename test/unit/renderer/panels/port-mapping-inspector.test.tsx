// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PortMappingInspector } from '../../../../renderer/src/panels/PortMappingInspector.js';
import { firewallSnapshot } from '../../../fixtures/snapshots/firewall/load.js';

afterEach(cleanup);
const fact = (name: string) => screen.getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;

describe('PortMappingInspector: where a mapping lives and who changes it', () => {
  it('Docker 29: the nftables table that holds the DNAT', () => {
    const { snapshot } = firewallSnapshot('docker29');
    render(<PortMappingInspector pm={snapshot.portMappings[0]!} snapshot={snapshot} onGo={() => {}} />);
    expect(fact('firewall')).toBe('nftables table ip docker-bridges');
    expect(screen.getByLabelText('who changes it').textContent).toContain('Docker made this mapping');
  });

  it('a mixed host: Docker\'s mapping is iptables-nft\'s, the admin\'s script\'s is legacy iptables\'', () => {
    const { snapshot } = firewallSnapshot('mixed-host');
    const docker = snapshot.portMappings.find((m) => m.hostPort === 8080)!;
    const admin = snapshot.portMappings.find((m) => m.hostPort === 2222)!;
    const view = render(<PortMappingInspector pm={docker} snapshot={snapshot} onGo={() => {}} />);
    expect(fact('firewall')).toBe('iptables-nft, nat table');
    view.rerender(<PortMappingInspector pm={admin} snapshot={snapshot} onGo={() => {}} />);
    expect(fact('firewall')).toBe('legacy iptables, nat table');
  });

  it('firewalld: a REDIRECT reads "port 22 of this host", with the firewall-cmd line to remove it', () => {
    const { snapshot } = firewallSnapshot('firewalld');
    const pm = snapshot.portMappings.find((m) => m.redirect)!;
    render(<PortMappingInspector pm={pm} snapshot={snapshot} onGo={() => {}} />);
    expect(screen.getByRole('heading').textContent).toBe('tcp 0.0.0.0:2222 → port 22 of this host');
    expect(fact('target')).toBe('port 22 of this host');
    expect(fact('firewall')).toBe('nftables table inet firewalld');
    expect(screen.getByLabelText('who changes it').textContent).toContain('firewall-cmd --zone=public --remove-forward-port=port=2222:proto=tcp:toport=22');
  });
});
