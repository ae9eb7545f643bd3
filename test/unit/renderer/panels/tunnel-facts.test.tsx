// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mergeSnapshots } from '../../../../protocol/src/merge-snapshots.js';
import { Snapshot } from '../../../../protocol/src/snapshot.js';
import { Inspector } from '../../../../renderer/src/panels/Inspector.js';
import { typeLabel } from '../../../../renderer/src/panels/TunnelFacts.js';

afterEach(cleanup);

// Two real hosts joined by VXLANs (test/fixtures/tunnels/README).
const read = (f: string): Snapshot => Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/tunnels', f), 'utf8')));
const entry = (name: string, local: boolean) => ({ name, local, destination: local ? null : `root@${name}`, hostname: name, kernel: null, state: 'live' as const, error: null, takenAt: null });
const s = mergeSnapshots([
  { entry: entry('hosta', true), snapshot: read('host-a.snapshot.json') },
  { entry: entry('hostb', false), snapshot: read('host-b.snapshot.json') },
]);
const id = (name: string, host: 'a' | 'b') => s.interfaces.find((i) => i.name === name && i.id.startsWith('host:hostb/') === (host === 'b'))?.id ?? '?';

describe('the inspector of a tunnel device', () => {
  it('shows VNI, ends and UDP port, and goes to the far device on the other host', () => {
    const onGo = vi.fn();
    render(<Inspector snapshot={s} selected={id('vx42', 'a')} onGo={onGo} onClose={() => {}} onShowRules={() => {}} />);
    const tunnel = screen.getByRole('region', { name: 'Tunnel' });
    expect(tunnel.textContent).toContain('VNI42');
    expect(tunnel.textContent).toContain('remote10.77.0.3');
    expect(tunnel.textContent).toContain('UDP port4789');
    fireEvent.click(screen.getByRole('button', { name: 'go to vx42 on hostb' }));
    expect(onGo).toHaveBeenCalledWith(id('vx42', 'b'));
    cleanup();
    // From the other end, the far address is this end's own.
    render(<Inspector snapshot={s} selected={id('vx42', 'b')} onGo={onGo} onClose={() => {}} onShowRules={() => {}} />);
    expect(screen.getByRole('list', { name: 'far ends' }).textContent).toBe('10.77.0.2 → vx42');
  });

  it('an fdb-fed VXLAN lists its far ends; one to an address no host holds says so', () => {
    render(<Inspector snapshot={s} selected={id('vx100', 'b')} onGo={() => {}} onClose={() => {}} onShowRules={() => {}} />);
    expect(screen.getByRole('list', { name: 'fdb far ends' }).textContent).toBe('00:00:00:00:00:00 dst 10.77.0.2');
    cleanup();
    render(<Inspector snapshot={s} selected={id('vx7', 'a')} onGo={() => {}} onClose={() => {}} onShowRules={() => {}} />);
    expect(screen.getByRole('list', { name: 'far ends' }).textContent).toBe('192.0.2.7 → not on the canvas');
  });
});

describe('the tunnel type', () => {
  it('names WireGuard, and a userspace one by the tun device it runs on', () => {
    expect(typeLabel('wireguard', 'wireguard')).toBe('WireGuard');
    expect(typeLabel('wireguard', 'tun')).toBe('WireGuard (userspace, on a tun device)');
    expect(typeLabel('vxlan', 'vxlan')).toBe('vxlan');
  });
});
