// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/index.js';
import { CaptureDock } from '../../../../renderer/src/traffic/CaptureDock.js';
import { createCapturesStore } from '../../../../renderer/src/traffic/captures-store.js';
import { createCountersStore } from '../../../../renderer/src/traffic/counters-store.js';
import { TrafficContext } from '../../../../renderer/src/traffic/traffic-context.js';
import type { Traffic } from '../../../../renderer/src/traffic/traffic-context.js';
import { fakeClient } from './fake-client.js';

afterEach(cleanup);

const stats = { captured: 2, bytes: 196, kernelDropped: 3, summariesDropped: 4, ringEvicted: 5, ringPackets: 2, ringBytes: 196 };

function mount() {
  const fake = fakeClient((method, params) => {
    if (method === 'capture.checkFilter') return params.filter === 'icmpp' ? new ProtocolError('invalid', 'tcpdump: syntax error in filter expression: syntax error', { path: 'filter' }) : { ok: true };
    if (method === 'capture.packet') return { summary: { n: 1, time: 1, src: '10.9.0.1', dst: '10.9.0.2', proto: 'ICMP', length: 98, info: 'echo request' }, linktype: 1, bytes: btoa('\x02\x42ABCDEFGH'), tree: [{ label: 'Ethernet II', offset: 0, length: 10, children: [{ label: 'Destination: 02:42:…', offset: 0, length: 6 }] }] };
    throw new Error(`unexpected ${method}`);
  });
  const client = () => fake.client;
  const traffic: Traffic = { counters: createCountersStore(), feed: { pause() {}, resume() {} }, captures: createCapturesStore(client), client };
  render(
    <TrafficContext.Provider value={traffic}>
      <CaptureDock />
    </TrafficContext.Provider>,
  );
  return { fake, traffic };
}

describe('capture dock', () => {
  it('checks the filter as you type and shows tcpdump’s error inline; Start is disabled meanwhile', async () => {
    const { traffic, fake } = mount();
    act(() => void traffic.captures.open({ id: 'ns:1/5', ns: 'ns:1', name: 'veth0', nsName: 'A' }));
    act(() => void traffic.captures.open({ id: 'ns:1/5', ns: 'ns:1', name: 'veth0', nsName: 'A' }));
    expect(screen.getAllByRole('tab')).toHaveLength(1);
    const input = screen.getByRole('textbox', { name: 'capture filter' });
    fireEvent.change(input, { target: { value: 'icmpp' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('syntax error in filter expression');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'start capture' }) as HTMLButtonElement).disabled).toBe(true);
    expect(fake.calls.filter((c) => c.method === 'capture.checkFilter')).toHaveLength(1);
    fireEvent.change(input, { target: { value: 'icmp' } });
    await waitFor(() => expect(screen.getByText('✓ valid')).toBeTruthy());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('starts, lists packets with counters, shows details and the end reason as a sentence', async () => {
    const { traffic, fake } = mount();
    act(() => void traffic.captures.open({ id: 'ns:1/5', ns: 'ns:1', name: 'veth0', nsName: 'A' }));
    fireEvent.change(screen.getByRole('spinbutton', { name: 'stop after this many packets' }), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'start capture' }));
    const s = fake.streams[0];
    expect(s?.method).toBe('capture.start');
    expect(s?.params).toMatchObject({ ns: 'ns:1', interface: 'veth0', count: 2, filter: '' });
    await act(async () => {
      s?.onData({ batch: { packets: [{ n: 1, time: 1, src: '10.9.0.1', dst: '10.9.0.2', proto: 'ICMP', length: 98, info: 'echo request id 7 seq 1' }, { n: 2, time: 1.001, src: '10.9.0.2', dst: '10.9.0.1', proto: 'ICMP', length: 98, info: 'echo reply id 7 seq 1' }], stats, appliedFilter: 'not tcp port 1234' } });
      await new Promise((r) => setTimeout(r, 40));
    });
    expect(screen.getByText('echo reply id 7 seq 1')).toBeTruthy();
    const counts = screen.getByLabelText('capture counters').textContent ?? '';
    expect(counts).toContain('captured 2');
    expect(counts).toContain('kernel dropped 3');
    expect(counts).toContain('netloom dropped 9');
    expect(screen.getByRole('note').textContent).toContain('not tcp port 1234');
    fireEvent.click(screen.getByText('echo request id 7 seq 1'));
    await screen.findByText('Ethernet II');
    expect(screen.getByLabelText('packet bytes').textContent).toContain('0242');
    act(() => s?.onData({ end: { reason: 'count', message: 'captured 2 packets', stats } }));
    expect(screen.getByRole('status', { name: 'capture status' }).textContent).toBe('Stopped after 2 packets.');
    expect(screen.getByRole('button', { name: 'save as pcap' })).toBeTruthy();
  });
});
