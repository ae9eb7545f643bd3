// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PacketSummary } from '../../../../protocol/src/index.js';
import { PacketList, ROW_HEIGHT } from '../../../../renderer/src/traffic/PacketList.js';
import { visibleRange } from '../../../../renderer/src/traffic/virtual-window.js';

afterEach(cleanup);

const packets: PacketSummary[] = Array.from({ length: 100_000 }, (_, i) => ({ n: i + 1, time: 1_700_000_000 + i / 1000, src: '10.9.0.1', dst: '10.9.0.2', proto: 'ICMP', length: 98, info: `echo request id 1 seq ${i}` }));

describe('virtual packet list', () => {
  it('computes the window of visible rows', () => {
    expect(visibleRange(0, 220, 22, 100_000, 0)).toEqual({ first: 0, last: 10 });
    expect(visibleRange(22_000, 220, 22, 100_000, 2)).toEqual({ first: 998, last: 1012 });
    expect(visibleRange(0, 220, 22, 3)).toEqual({ first: 0, last: 3 });
  });

  it('renders only the visible rows of 100 000 packets, follows the tail and moves with the scroll', () => {
    const onSelect = vi.fn();
    const { container } = render(<PacketList packets={packets} version={1} selected={null} onSelect={onSelect} label="packets on veth" />);
    const grid = screen.getByRole('grid', { name: 'packets on veth' });
    expect(grid.getAttribute('aria-rowcount')).toBe('100001');
    const rows = () => container.querySelectorAll('.pkt-row');
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(60);
    // Stuck to the bottom: the last packet is rendered.
    expect(screen.getByText('echo request id 1 seq 99999')).toBeTruthy();
    const scroller = container.querySelector('.pkt-scroll') as HTMLDivElement;
    scroller.scrollTop = 500 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    expect(screen.getByText('echo request id 1 seq 500')).toBeTruthy();
    expect(screen.queryByText('echo request id 1 seq 99999')).toBeNull();
    expect(rows().length).toBeLessThan(60);
    fireEvent.click(screen.getByText('echo request id 1 seq 501'));
    expect(onSelect).toHaveBeenCalledWith(502);
  });
});
