// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Inspector } from '../../../../renderer/src/panels/Inspector.js';
import { RulesPanel } from '../../../../renderer/src/panels/RulesPanel.js';
import { HOST, labSnapshot, NS1, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';

afterEach(cleanup);

describe('Inspector', () => {
  const s = labSnapshot();
  const noop = () => {};

  it('shows an interface: kind, MAC, MTU, state, addresses, counters in human units, and its peer as a link', () => {
    const onGo = vi.fn();
    render(<Inspector snapshot={s} selected={`${NS1}/2`} onGo={onGo} onClose={noop} onShowRules={noop} />);
    const panel = screen.getByRole('complementary', { name: 'inspector' });
    expect(within(panel).getByRole('heading', { name: 'eth0' })).toBeTruthy();
    expect(panel.textContent).toContain('0a:bc:de:f0:12:34');
    expect(panel.textContent).toContain('1500');
    expect(panel.textContent).toContain('10.0.0.2/24');
    expect(panel.textContent).toContain('1.2 MiB');
    expect(panel.textContent).toContain('10.0.0.0/24 dev eth0 src 10.0.0.2');
    fireEvent.click(screen.getByRole('button', { name: 'go to veth01 in host' }));
    expect(onGo).toHaveBeenCalledWith(`${HOST}/12`);
  });

  it('shows a bridge with its ports and the rules that name it', () => {
    render(<Inspector snapshot={s} selected={`${HOST}/3`} onGo={noop} onClose={noop} onShowRules={noop} />);
    expect(screen.getByRole('button', { name: 'go to veth1a2b3c in host' })).toBeTruthy();
    const rules = screen.getByRole('region', { name: 'Rules naming it' });
    expect(rules.textContent).toContain('-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
    expect(rules.textContent).toContain('docker');
  });

  it('shows a container namespace with its container, processes and forwarding flag', () => {
    const onShowRules = vi.fn();
    render(<Inspector snapshot={s} selected={WEB} onGo={noop} onClose={noop} onShowRules={onShowRules} />);
    const panel = screen.getByRole('complementary', { name: 'inspector' });
    expect(within(panel).getByRole('region', { name: 'Container' }).textContent).toContain('runtimeDocker');
    expect(panel.textContent).toContain('nginx:1.27');
    expect(panel.textContent).toContain('4242');
    expect(panel.textContent).toContain('IPv4 forwarding');
    fireEvent.click(screen.getByRole('button', { name: /Show rules/ }));
    expect(onShowRules).toHaveBeenCalledWith(WEB);
  });
});

describe('RulesPanel', () => {
  it('groups by table then chain with the policy, spec and owner', () => {
    render(<RulesPanel snapshot={labSnapshot()} nsId={HOST} onNamespace={() => {}} onClose={() => {}} />);
    expect(screen.getByRole('tab', { name: /filter/ }).getAttribute('aria-selected')).toBe('true');
    const forward = screen.getByRole('region', { name: 'chain FORWARD' });
    expect(forward.textContent).toContain('policy DROP');
    expect(forward.textContent).toContain('-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
    fireEvent.click(screen.getByRole('tab', { name: /nat/ }));
    const docker = screen.getByRole('region', { name: 'chain DOCKER' });
    expect(docker.textContent).toContain('--to-destination 172.17.0.2:80');
    expect(within(docker).getAllByText('docker').length).toBeGreaterThan(0);
  });
});
