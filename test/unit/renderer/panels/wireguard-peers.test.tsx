// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWgDump } from '../../../../helper/discover/read-wireguard.js';
import { handshakeAge, WireguardPeers } from '../../../../renderer/src/panels/WireguardPeers.js';

afterEach(cleanup);

// Real `wg show all dump` output (test/fixtures/wireguard/README says where it is from).
const peers = parseWgDump(readFileSync(join(__dirname, '../../../fixtures/wireguard/wg-show-all-dump.txt'), 'utf8'));

describe('WireGuard peers in the tunnel inspector', () => {
  it('each peer: short key, endpoint (or that it calls in), allowed IPs, how old its handshake is', () => {
    render(<WireguardPeers peers={peers} now={1555771458 + 180} />);
    const items = screen.getByRole('list', { name: 'wireguard peers' }).querySelectorAll('li');
    expect(items.length).toBe(peers.length);
    expect(items[0]?.textContent).toBe('2S7mA0vE… at 37.159.76.245:29159 · allowed 10.70.0.2/32, 10.70.0.66/32 · handshake 3 min ago');
    expect(items[1]?.textContent).toBe('qnoxQoQI… at no endpoint (it calls in) · allowed 10.70.0.3/32 · handshake never');
  });

  it('ages read as a person would', () => {
    expect([handshakeAge(null, 100), handshakeAge(40, 100), handshakeAge(0, 7200), handshakeAge(100, 100 + 5400), handshakeAge(1, 1 + 3 * 86400)]).toEqual(['never', '60 s ago', 'never', '2 h ago', '3 days ago']);
  });
});
